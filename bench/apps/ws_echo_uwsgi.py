"""The WebSocket echo scenario under uWSGI: its own WebSocket API (uwsgi.websocket_*), one thread per socket.

uwsgi.websocket_send answers with a text frame: the load client sends text only, so every server answers alike.
A recv error is the client leaving: the thread returns to serve the next connection.
"""
import uwsgi


def application(environ, start_response):
    uwsgi.websocket_handshake(environ["HTTP_SEC_WEBSOCKET_KEY"], environ.get("HTTP_ORIGIN", ""))
    while True:
        try:
            message = uwsgi.websocket_recv()
        except OSError:
            return []
        uwsgi.websocket_send(message)
