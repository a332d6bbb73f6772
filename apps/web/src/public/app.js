// Progressive enhancement only: every page works without it.
(function () {
  'use strict';
  document.querySelectorAll('[data-add-attendee]').forEach(function (btn) {
    btn.hidden = false;
    btn.addEventListener('click', function () {
      var list = document.getElementById('attendee-rows');
      var n = list.children.length + 1;
      var row = list.firstElementChild.cloneNode(true);
      var input = row.querySelector('input');
      input.value = '';
      input.id = 'attendee-' + n;
      row.querySelector('label').setAttribute('for', input.id);
      list.appendChild(row);
      input.focus();
    });
  });
  document.addEventListener('click', function (e) {
    var t = e.target;
    if (t && t.matches && t.matches('[data-remove-attendee]')) {
      var row = t.closest('li');
      if (row && row.parentElement.children.length > 1) row.remove();
      else if (row) row.querySelector('input').value = '';
    }
  });
  var tz = document.querySelector('select[name=timeZone][data-default-browser]');
  if (tz && !tz.dataset.chosen) {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var opt = Array.prototype.find.call(tz.options, function (o) { return o.dataset.iana === zone; });
    if (opt) tz.value = opt.value;
  }
})();
try {
  document.cookie = 'tz=' + encodeURIComponent(Intl.DateTimeFormat().resolvedOptions().timeZone) + '; path=/; SameSite=Lax';
} catch (e) { /* no Intl zone */ }
