// The staff pages' assistant panel: posts to /api/ai/chat and shows answers, tokens and latency;
// on each page it shows the conversation so far again (the server keeps it, /api/ai/history).
(function () {
  "use strict";
  var panel = document.getElementById("ai-panel");
  if (!panel) return;
  var toggle = document.getElementById("ai-toggle");
  var log = document.getElementById("ai-log");
  var form = document.getElementById("ai-form");
  var input = document.getElementById("ai-message");
  var send = document.getElementById("ai-send");
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  var CONVERSATION_KEY = "ai-conversation-id";
  var OPEN_KEY = "ai-panel-open";

  // getRandomValues, not randomUUID: the latter is missing on plain-HTTP development hosts.
  function newConversationId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function conversationId() {
    var id = sessionStorage.getItem(CONVERSATION_KEY);
    if (!id) {
      id = newConversationId();
      sessionStorage.setItem(CONVERSATION_KEY, id);
    }
    return id;
  }

  function setOpen(open) {
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    document.body.classList.toggle("ai-open", open);
    sessionStorage.setItem(OPEN_KEY, open ? "1" : "");
    if (open) input.focus();
  }

  // textContent only: answers are model output and must never become markup.
  function add(kind, text, meta) {
    var item = document.createElement("div");
    item.className = "ai-msg " + kind;
    item.textContent = text;
    if (meta) {
      var small = document.createElement("small");
      small.className = "ai-meta";
      small.textContent = meta;
      item.appendChild(small);
    }
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
    return item;
  }

  function describeError(status, body) {
    if (body && body.message) return body.message;
    if (status === 401) return "Your session ended. Sign in again.";
    return "The assistant failed (HTTP " + status + "). Try again.";
  }

  function ask(message) {
    add("user", message);
    var pending = add("assistant", "Thinking…");
    send.disabled = true;
    fetch(panel.dataset.endpoint, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": tokenMeta ? tokenMeta.content : "" },
      body: JSON.stringify({ message: message, conversation_id: conversationId() })
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        pending.remove();
        if (response.ok && body) {
          add("assistant", body.answer,
              body.usage.input_tokens + " in / " + body.usage.output_tokens + " out tokens · " +
              body.latency_ms + " ms · " + body.credits_remaining + " credits left");
        } else {
          add("error", describeError(response.status, body));
        }
      });
    }).catch(function () {
      pending.remove();
      add("error", "Could not reach the server. Check your connection and try again.");
    }).then(function () {
      send.disabled = false;
      input.focus();
    });
  }

  // Only for a conversation this tab already has; the answers are shown as text, like new ones.
  function restore() {
    var id = sessionStorage.getItem(CONVERSATION_KEY);
    if (!id) return;
    fetch(panel.dataset.history + "?conversation_id=" + encodeURIComponent(id), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        // A "New chat" pressed meanwhile wins.
        if (!body || body.conversation_id !== sessionStorage.getItem(CONVERSATION_KEY)) return;
        var first = log.querySelector(".ai-msg");
        body.messages.forEach(function (message) {
          var item = add(message.role === "user" ? "user" : "assistant", message.content);
          if (first) log.insertBefore(item, first);  // before anything typed while it loaded
        });
      })
      .catch(function () { /* the history is a convenience: the panel works without it */ });
  }

  toggle.addEventListener("click", function () { setOpen(true); });
  document.getElementById("ai-close").addEventListener("click", function () { setOpen(false); toggle.focus(); });
  document.getElementById("ai-new").addEventListener("click", function () {
    sessionStorage.setItem(CONVERSATION_KEY, newConversationId());
    Array.prototype.slice.call(log.querySelectorAll(".ai-msg")).forEach(function (node) { node.remove(); });
    input.focus();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var message = input.value.trim();
    if (!message || send.disabled) return;
    input.value = "";
    ask(message);
  });
  // Enter sends, Shift+Enter starts a new line, as in chat apps.
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") setOpen(false);
  });
  setOpen(sessionStorage.getItem(OPEN_KEY) === "1");
  restore();
})();
