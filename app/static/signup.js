// Live check of the subdomain while the user types: one request per pause, newest answer wins.
(function () {
  const input = document.getElementById("subdomain");
  const status = document.getElementById("subdomain-status");
  if (!input || !status || !input.dataset.checkUrl) return;
  let timer = null;
  let latest = 0;
  input.addEventListener("input", function () {
    input.value = input.value.toLowerCase();
    clearTimeout(timer);
    timer = setTimeout(async function () {
      const asked = ++latest;
      const url = input.dataset.checkUrl + "?subdomain=" + encodeURIComponent(input.value);
      try {
        const answer = await (await fetch(url, { headers: { Accept: "application/json" } })).json();
        if (asked !== latest) return;
        status.textContent = answer.message;
        status.className = answer.available ? "ok" : "error";
        input.setAttribute("aria-invalid", answer.available ? "false" : "true");
      } catch (err) {
        status.textContent = "Could not check the name just now; it will be checked when you continue.";
        status.className = "hint";
      }
    }, 250);
  });
})();
