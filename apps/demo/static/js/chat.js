// The chat page: one WebSocket to /ws/chat/, reopened when it closes for any reason but a normal
// close (1000): at once on 1012 (the server restarted, e.g. tsgi-dev reloaded), else with backoff.
const log = document.getElementById("chat-log");
const status = document.getElementById("chat-status");
const error = document.getElementById("chat-error");
const form = document.getElementById("chat-form");
let socket;
let failures = 0;

function setStatus(state, text) {
  status.dataset.state = state;
  status.textContent = text;
}

function open() {
  socket = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/chat/`);
  setStatus("connecting", "connecting…");
  socket.addEventListener("open", () => {
    failures = 0;
    setStatus("open", "connected");
  });
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    if (message.error) {
      error.textContent = message.error;
      error.hidden = false;
      return;
    }
    const item = document.createElement("li");
    const name = document.createElement("strong");
    name.className = "name";
    name.textContent = message.name;
    const text = document.createElement("span");
    text.className = "text";
    text.textContent = message.text;
    item.append(name, ": ", text);
    log.append(item);
  });
  socket.addEventListener("close", (event) => {
    status.dataset.lastClose = String(event.code);
    if (event.code === 1000) return setStatus("closed", "disconnected");
    const delay = event.code === 1012 ? 100 : Math.min(5000, 250 * 2 ** failures++);
    setStatus("reconnecting", `reconnecting (closed with ${event.code})…`);
    setTimeout(open, delay);
  });
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = form.elements.text;
  if (socket.readyState !== WebSocket.OPEN) {
    error.textContent = "Not connected yet: try again in a moment.";
    error.hidden = false;
    return;
  }
  error.hidden = true;
  socket.send(JSON.stringify({ name: form.elements.name.value, text: text.value }));
  text.value = "";
  text.focus();
});

open();
