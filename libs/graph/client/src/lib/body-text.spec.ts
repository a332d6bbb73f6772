import { htmlToText } from './body-text';

describe('htmlToText', () => {
  it('keeps the text and line breaks of an HTML body, decodes entities, drops markup and scripts', () => {
    const html =
      '<html><head><style>p{}</style></head><body><p>Agenda &amp; notes</p><ul><li>one</li><li>two &lt;3</li></ul>' +
      '<script>alert(1)</script><div>a&nbsp;b &quot;c&quot; &#39;d&#39;</div><br/><br><br></body></html>';
    expect(htmlToText(html)).toBe('Agenda & notes\none\ntwo <3\na b "c" \'d\'');
  });
});
