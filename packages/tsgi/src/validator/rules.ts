/**
 * Every rule the validator checks, with the side that breaks it and a one-line
 * statement of the rule. Rule ids are stable: tests, logs and SPEC.md §
 * "Validation" refer to them.
 */

/** Who broke a rule: the server (environ, startResponse, input) or the application. */
export type ViolationSide = "server" | "application";

/** A rule's side and statement. */
export interface RuleInfo {
  side: ViolationSide;
  rule: string;
}

export const VALIDATION_RULES = {
  // The environ, checked before the app is called (server side).
  "environ-not-object": { side: "server", rule: "environ is a plain object" },
  "environ-missing-key": { side: "server", rule: "environ has every required CGI and tsgi.* key" },
  "environ-forbidden-key": { side: "server", rule: "no HTTP_CONTENT_TYPE or HTTP_CONTENT_LENGTH (use CONTENT_TYPE, CONTENT_LENGTH)" },
  "environ-value-type": { side: "server", rule: "CGI keys (keys without a dot) hold strings" },
  "environ-value-latin1": { side: "server", rule: "CGI strings carry bytes as latin-1 characters (U+0000..U+00FF)" },
  "environ-header-value": { side: "server", rule: "header values (HTTP_*, CONTENT_TYPE) hold no CR, LF or NUL" },
  "environ-version": { side: "server", rule: "tsgi.version is the array [1, 0]" },
  "environ-url-scheme": { side: "server", rule: 'tsgi.url_scheme is "http" or "https"' },
  "environ-flag-type": { side: "server", rule: "tsgi.multithread, tsgi.multiprocess and tsgi.run_once are booleans" },
  "environ-request-method": { side: "server", rule: "REQUEST_METHOD is a non-empty token" },
  "environ-script-name-form": { side: "server", rule: 'SCRIPT_NAME is "" or starts with "/"' },
  "environ-script-name-root": { side: "server", rule: 'SCRIPT_NAME is never "/" (use "" and PATH_INFO "/")' },
  "environ-path-info-form": { side: "server", rule: 'PATH_INFO is "" or starts with "/" ("*" only for OPTIONS * with SCRIPT_NAME "")' },
  "environ-content-length": { side: "server", rule: "CONTENT_LENGTH, when present and not empty, is a non-negative integer" },
  "environ-server-port": { side: "server", rule: "SERVER_PORT is a decimal port number" },
  "environ-server-protocol": { side: "server", rule: 'SERVER_PROTOCOL looks like "HTTP/1.1"' },
  "environ-input-interface": { side: "server", rule: "tsgi.input has read, readline, readlines and async iteration" },
  "environ-errors-interface": { side: "server", rule: "tsgi.errors has write, writelines and flush" },
  "environ-file-wrapper-type": { side: "server", rule: "tsgi.file_wrapper, when present, is a function" },
  "environ-reserved-key": { side: "server", rule: "no tsgi.* key other than those TSGI 1.0 defines (the rest are reserved)" },
  "environ-websocket-interface": { side: "server", rule: "tsgi.websocket, when present, has accept, send, receive, close, closed and subprotocols" },
  "environ-state-type": { side: "server", rule: "tsgi.state, when present, is an object: the one the lifespan start-up of this process filled" },
  "app-call-arguments": { side: "server", rule: "the app is called with exactly (environ, startResponse)" },
  "server-start-response-return": { side: "server", rule: "startResponse returns the write() function" },
  "server-write-return": { side: "server", rule: "write() returns a promise" },
  "exc-info-not-rethrown": { side: "server", rule: "startResponse with excInfo after headers were sent rethrows excInfo" },
  "input-read-result": { side: "server", rule: "input.read(size) resolves to a Uint8Array of at most size bytes" },
  "input-readline-result": { side: "server", rule: "input.readline(limit) resolves to one line: a Uint8Array, at most limit bytes, LF only at its end" },
  "input-readlines-result": { side: "server", rule: "input.readlines() resolves to an array of Uint8Array lines" },
  "input-iteration-result": { side: "server", rule: "async iteration of input yields Uint8Array lines" },
  "body-iterated-twice": { side: "server", rule: "the server iterates the body at most once" },
  "body-read-after-close": { side: "server", rule: "the server does not pull the body after calling close()" },
  "close-called-twice": { side: "server", rule: "the server calls the body's close() once" },
  "close-not-called": { side: "server", rule: "the server calls the body's close() on every path" },

  // The application's side.
  "app-type": { side: "application", rule: "the wrapped app is a function or an object with a call method" },
  "start-response-arguments": { side: "application", rule: "startResponse takes (status, headers) or (status, headers, excInfo)" },
  "status-type": { side: "application", rule: "status is a string" },
  "status-format": { side: "application", rule: 'status is three digits, a space and a reason phrase, like "200 OK"' },
  "status-code-range": { side: "application", rule: "the status code is between 200 and 599 (1xx are interim responses, never final)" },
  "status-reason-chars": { side: "application", rule: "the reason phrase holds no control characters and only latin-1" },
  "headers-type": { side: "application", rule: "headers is an array" },
  "header-item-shape": { side: "application", rule: "each header is a [name, value] array of two items" },
  "header-name-type": { side: "application", rule: "header names are strings" },
  "header-value-type": { side: "application", rule: "header values are strings" },
  "header-status-forbidden": { side: "application", rule: "there is no Status header (the status is the first argument)" },
  "header-name-token": { side: "application", rule: "header names are RFC 9110 tokens (no space, colon, CR, LF...)" },
  "header-name-trailing-separator": { side: "application", rule: 'header names do not end in "-" or "_"' },
  "header-value-chars": { side: "application", rule: "header values hold no CR, LF, NUL or other control character but tab" },
  "header-value-latin1": { side: "application", rule: "header values are latin-1 strings (encode other text first)" },
  "header-hop-by-hop": { side: "application", rule: "no hop-by-hop header (Connection, Transfer-Encoding, Keep-Alive...)" },
  "content-type-required": { side: "application", rule: "a Content-Type header is given unless the status is 1xx, 204 or 304" },
  "content-type-forbidden": { side: "application", rule: "no Content-Type header on 1xx, 204 or 304" },
  "content-length-format": { side: "application", rule: "Content-Length is one non-negative integer" },
  "content-length-forbidden": { side: "application", rule: "no Content-Length header on 1xx or 204" },
  "content-length-exceeded": { side: "application", rule: "the body is not longer than its Content-Length" },
  "content-length-short": { side: "application", rule: "the body is not shorter than its Content-Length" },
  "body-not-allowed": { side: "application", rule: "no body bytes on 1xx, 204 or 304" },
  "exc-info-type": { side: "application", rule: "excInfo is undefined or the Error being reported" },
  "start-response-repeated": { side: "application", rule: "startResponse is called again only with excInfo" },
  "start-response-not-called": { side: "application", rule: "startResponse is called before the first body chunk" },
  "write-chunk-type": { side: "application", rule: "write() is given a Uint8Array" },
  "body-not-iterable": { side: "application", rule: "the app returns an iterable or async iterable (or a promise of one)" },
  "body-is-string": { side: "application", rule: "the app does not return a bare string (return [bytes])" },
  "body-is-bytes": { side: "application", rule: "the app does not return a bare Uint8Array (return [bytes])" },
  "body-chunk-type": { side: "application", rule: "the body yields Uint8Array chunks" },
  "input-read-argument": { side: "application", rule: "input.read(size) takes no argument or an integer" },
  "input-readline-argument": { side: "application", rule: "input.readline(limit) takes no argument or an integer" },
  "input-readlines-argument": { side: "application", rule: "input.readlines(hint) takes no argument or an integer" },
  "input-close-forbidden": { side: "application", rule: "the app never closes tsgi.input" },
  "input-concurrent-read": { side: "application", rule: "the app awaits one read of tsgi.input before starting the next" },
  "errors-write-argument": { side: "application", rule: "errors.write() is given a string" },
  "errors-writelines-argument": { side: "application", rule: "errors.writelines() is given an iterable of strings" },
  "errors-close-forbidden": { side: "application", rule: "the app never closes tsgi.errors" },
  // WebSocket and lifespan (SPEC.md, "WebSocket and Lifespan").
  "websocket-accept-twice": { side: "application", rule: "tsgi.websocket.accept() is called at most once" },
  "websocket-accept-after-start-response": { side: "application", rule: "accept() is not called once the app answered through startResponse" },
  "websocket-start-response-after-accept": { side: "application", rule: "startResponse is not called once the app accepted the WebSocket" },
  "websocket-send-before-accept": { side: "application", rule: "send() and receive() wait for accept()" },
  "websocket-send-after-close": { side: "application", rule: "send() is not called after the app closed the WebSocket or saw it closed" },
  "websocket-message-type": { side: "application", rule: "send() is given a string (text) or a Uint8Array (binary)" },
  "websocket-body-not-empty": { side: "application", rule: "the body of an accepted WebSocket request is empty" },
  "lifespan-type": { side: "application", rule: "an app's lifespan is an object whose startup and shutdown, when present, are functions" },
  "lifespan-startup-timeout": { side: "application", rule: "lifespan start-up settles within the validator's lifespanTimeout" },
} as const satisfies Record<string, RuleInfo>;

/** A stable validator rule id, like `"status-format"` or `"close-not-called"`. */
export type ValidationRule = keyof typeof VALIDATION_RULES;
