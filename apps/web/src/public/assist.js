// Create Event scheduling helpers (progressive: the form works without them).
// Zone filter, directory type-ahead on attendee fields, conflicts as you pick a time, suggested times.
(function () {
  'use strict';
  var form = document.querySelector('form[action="/events/new"]');
  var assist = document.getElementById('assist');
  if (!form || !assist) return;
  var status = document.getElementById('assist-status');
  var csrf = form.querySelector('input[name=_csrf]').value;

  function debounce(fn, ms) {
    var t;
    return function () {
      var args = arguments;
      clearTimeout(t);
      t = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }
  function post(url) {
    var body = new URLSearchParams(new FormData(form));
    body.delete('pick');
    return fetch(url, { method: 'POST', body: body, credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf, Accept: 'application/json' } })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); });
  }
  function say(text) { status.textContent = text || ''; }

  // 1. Time zone: a search box that narrows the select to the matching zones.
  var zone = document.getElementById('timeZone');
  var filter = document.getElementById('timeZone-filter');
  if (zone && filter) {
    filter.closest('.zone-filter').hidden = false;
    var all = Array.prototype.map.call(zone.options, function (o) { return o; });
    var count = document.getElementById('timeZone-count');
    filter.addEventListener('input', function () {
      var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
      var keep = all.filter(function (o) {
        var text = (o.textContent + ' ' + o.value + ' ' + (o.dataset.iana || '')).toLowerCase();
        return words.every(function (w) { return text.indexOf(w) >= 0; });
      });
      var chosen = zone.value;
      zone.replaceChildren.apply(zone, keep.length ? keep : all);
      if (keep.length && !keep.some(function (o) { return o.value === chosen; })) zone.value = keep[0].value;
      else zone.value = chosen;
      count.textContent = words.length ? assist.dataset.zoneMatches.replace('{n}', String(keep.length)) : '';
      zone.dataset.chosen = '1';
      checkConflicts();
    });
    filter.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') { e.preventDefault(); zone.focus(); }
    });
  }

  // 2. Attendees: the tenant directory as you type (ARIA combobox with a listbox).
  var seq = 0;
  function listFor(input) {
    var id = input.id + '-options';
    var ul = document.getElementById(id);
    if (!ul) {
      ul = document.createElement('ul');
      ul.id = id;
      ul.className = 'people';
      ul.setAttribute('role', 'listbox');
      ul.setAttribute('aria-label', input.labels && input.labels[0] ? input.labels[0].textContent : '');
      ul.hidden = true;
      input.insertAdjacentElement('afterend', ul);
    }
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', id);
    input.setAttribute('aria-expanded', String(!ul.hidden));
    if (!input.getAttribute('aria-describedby')) input.setAttribute('aria-describedby', 'attendee-hint');
    return ul;
  }
  function close(input) {
    var ul = listFor(input);
    ul.hidden = true;
    ul.replaceChildren();
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  }
  function choose(input, li) {
    input.value = li.dataset.email;
    close(input);
    input.focus();
    checkConflicts();
  }
  function move(input, by) {
    var ul = listFor(input);
    var items = Array.prototype.slice.call(ul.children);
    if (!items.length) return;
    var i = items.findIndex(function (li) { return li.getAttribute('aria-selected') === 'true'; });
    var next = items[(i + by + items.length) % items.length];
    items.forEach(function (li) { li.setAttribute('aria-selected', String(li === next)); });
    input.setAttribute('aria-activedescendant', next.id);
  }
  var lookup = debounce(function (input) {
    var q = input.value.trim();
    if (q.length < 2 || q.indexOf('@') > 0 && /\.\w+$/.test(q)) return close(input);
    var mine = ++seq;
    fetch('/assist/people?q=' + encodeURIComponent(q), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        if (mine !== seq || document.activeElement !== input) return;
        var ul = listFor(input);
        ul.replaceChildren.apply(ul, (body.items || []).map(function (p, n) {
          var li = document.createElement('li');
          li.id = input.id + '-opt-' + n;
          li.setAttribute('role', 'option');
          li.setAttribute('aria-selected', 'false');
          li.dataset.email = p.email;
          li.textContent = p.name + ' <' + p.email + '>';
          return li;
        }));
        ul.hidden = !ul.children.length;
        input.setAttribute('aria-expanded', String(!ul.hidden));
      })
      .catch(function () { /* the field still takes an address */ });
  }, 250);
  var rows = document.getElementById('attendee-rows');
  rows.addEventListener('input', function (e) {
    if (e.target.name === 'attendees') { listFor(e.target); lookup(e.target); checkConflicts(); }
  });
  rows.addEventListener('keydown', function (e) {
    var input = e.target;
    if (input.name !== 'attendees') return;
    var ul = listFor(input);
    if (ul.hidden) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') { e.preventDefault(); move(input, e.key === 'ArrowDown' ? 1 : -1); }
    else if (e.key === 'Escape') { e.preventDefault(); close(input); }
    else if (e.key === 'Enter') {
      var sel = ul.querySelector('[aria-selected=true]');
      if (sel) { e.preventDefault(); choose(input, sel); }
    }
  });
  rows.addEventListener('mousedown', function (e) {
    var li = e.target.closest && e.target.closest('[role=option]');
    if (li) { e.preventDefault(); choose(document.getElementById(li.parentElement.id.replace(/-options$/, '')), li); }
  });
  rows.addEventListener('focusout', function (e) {
    if (e.target.name === 'attendees') setTimeout(function () { if (document.activeElement !== e.target) close(e.target); }, 150);
  });
  rows.querySelectorAll('input[name=attendees]').forEach(listFor);

  // 3. Conflicts as you pick a time.
  var conflictSeq = 0;
  var checkConflicts = debounce(function (prefix) {
    var mine = ++conflictSeq;
    var lead = typeof prefix === 'string' && prefix ? prefix + ' ' : '';
    post('/assist/conflicts')
      .then(function (body) { if (mine === conflictSeq) say(lead + body.text); })
      .catch(function () { if (mine === conflictSeq) say(assist.dataset.unavailable); });
  }, 400);
  ['start', 'end', 'timeZone'].forEach(function (id) {
    var el = document.getElementById(id);
    if (el) el.addEventListener('change', function () { checkConflicts(); });
  });
  rows.addEventListener('change', function () { checkConflicts(); });

  // 4. Suggested times: listed here; choosing one fills start and end.
  var section = document.getElementById('suggestions');
  var slots = section.querySelector('ul');
  function slotButton(s) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'slot';
    b.dataset.start = s.start;
    b.dataset.end = s.end;
    b.textContent = s.label;
    var li = document.createElement('li');
    li.appendChild(b);
    return li;
  }
  document.getElementById('suggest-times').addEventListener('click', function (e) {
    e.preventDefault();
    post('/assist/meeting-times')
      .then(function (body) {
        slots.replaceChildren.apply(slots, (body.slots || []).map(slotButton));
        section.hidden = !slots.children.length;
        say(body.message || '');
        if (slots.firstElementChild) slots.firstElementChild.querySelector('button').focus();
      })
      .catch(function () { say(assist.dataset.unavailable); });
  });
  slots.addEventListener('click', function (e) {
    var b = e.target.closest && e.target.closest('button.slot');
    if (!b) return;
    e.preventDefault();
    document.getElementById('start').value = b.dataset.start;
    document.getElementById('end').value = b.dataset.end;
    var chosen = assist.dataset.slotChosen.replace('{when}', b.textContent);
    say(chosen);
    checkConflicts(chosen);
    document.getElementById('start').focus();
  });
})();
