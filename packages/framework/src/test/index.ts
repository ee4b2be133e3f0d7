export { Client, RedirectCycleError, type ClientOptions, type RequestOptions, type BodyRequestOptions, type ClientApp } from "./client.js";
export { CookieJar, type JarCookie } from "./cookieJar.js";
export { encodeMultipart, encodeUrlencoded, encodeBody, MULTIPART_CONTENT, type ClientData, type ClientFile } from "./encode.js";
export type { ClientResponse, RenderedTemplate, RedirectHop } from "./response.js";
export { assertContains, assertNotContains, assertRedirects, assertTemplateUsed, assertTemplateNotUsed, assertFormError, type ContainsOptions, type RedirectsOptions } from "./assertions.js";
export { RequestFactory } from "./requestFactory.js";
export { overrideSettings } from "./overrideSettings.js";
