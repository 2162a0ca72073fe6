// A form marked data-confirm="Question?" asks before it is sent: the page's Content-Security-Policy
// allows no inline handler (onsubmit="..."), so this one listener serves every such form.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
