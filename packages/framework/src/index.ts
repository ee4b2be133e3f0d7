/**
 * @tsgi/framework: a Django-like web framework whose entry point is a TSGI application.
 * Named exports only; each group below maps to a folder of `src/`.
 */

// Entry point
export { getTsgiApplication, type TsgiApplication } from "./handler/tsgiHandler.js";
export { currentContext, runWithContext, type RequestContext } from "./handler/requestContext.js";
export { convertExceptionToResponse } from "./handler/loadMiddleware.js";
export { InvalidResponseError } from "./handler/checkResponse.js";

// Settings
export { defineSettings, isSettings, SettingsError, DEFAULT_SETTINGS, type Settings, type SettingsInput, type SameSiteSetting, type DefinedSettings } from "./settings/index.js";
export { findUnknownSettings, KNOWN_SETTING_NAMES, type UnknownSetting } from "./settings/index.js";

// Requests and responses
export * from "./http/index.js";

// Middleware contract
export {
  defineMiddleware,
  acceptsSyncLayer,
  isPromiseLike,
  type NextLayer,
  type SyncLayerFactory,
  type Middleware,
  type MiddlewareFactory,
  type MiddlewareHooks,
  type GetResponse,
  type MaybeResponse,
  type RenderableResponse,
} from "./middleware/types.js";

// URLs and views
export * from "./urls/index.js";
export * from "./views/index.js";

// Signals
export { Signal, requestStarted, requestFinished, gotRequestException, type Receiver, type ConnectOptions } from "./signals/index.js";

// Signing
export * as signing from "./signing/index.js";
export { Signer, TimestampSigner, BadSignature, SignatureExpired, getCookieSigner } from "./signing/index.js";

// Errors
export * from "./exceptions.js";

// Debug pages (for middleware that renders its own errors)
export { technical404Response, technical500Response, escapeHtml, templateErrorInfo, type TemplateErrorInfo } from "./debug/index.js";

// Batteries (issue 6): templates, sessions, CSRF, security/common/conditional/gzip middleware, messages, static files
export { render, renderToString, TemplateResponse, getTemplateEngine, renderTemplate, requestContext, TemplateError, TemplateSyntaxError, TemplateDoesNotExist, type RenderOptions, type TemplateEngine, type TemplateDebugInfo, type ContextProcessor, type TemplateFilter, type TemplateOptions, type TemplatesSetting } from "./templates/index.js";
export * from "./sessions/index.js";
export * from "./cache/index.js";
export * from "./health/index.js";
export * from "./lifespan/index.js";
export * from "./csrf/index.js";
export { SecurityMiddleware } from "./middleware/security.js";
export { XFrameOptionsMiddleware, xframeOptionsExempt, xframeOptionsDeny, xframeOptionsSameorigin } from "./middleware/xframe.js";
export { CommonMiddleware, noAppendSlash, AppendSlashPostError } from "./middleware/common.js";
export { ConditionalGetMiddleware, conditionalResponse, patchVaryHeaders, parseEtags, parseHttpDate } from "./middleware/conditional.js";
export { GZipMiddleware, acceptsGzip, compressBytes, compressStream, GZIP_MAX_RANDOM_BYTES } from "./middleware/gzip.js";
export * from "./messages/index.js";
export * from "./staticfiles/index.js";
export * from "./management/index.js";

// Models, queries, transactions and migrations (issue 14). Field factories live under `models`
// (`models.CharField`), as in Django, so they do not clash with the form fields.
export * as models from "./db/index.js";
export {
  defineModel,
  atomic,
  inAtomicBlock,
  connections,
  F,
  Q,
  q,
  Count,
  Sum,
  Avg,
  Max,
  Min,
  sql,
  QuerySet,
  ModelInstance,
  DatabaseError,
  IntegrityError,
  OperationalError,
  DatabaseStartupError,
  DatabaseUnreachableError,
  ProgrammingError,
  ObjectDoesNotExist,
  MultipleObjectsReturned,
  ModelDeclarationError,
  FieldError,
  MigrationError,
  IrreversibleError,
  runCodeNoop,
  RelatedObjectNotLoaded,
  getObjectOr404,
  getListOr404,
  nonAtomicRequests,
  TestDatabase,
  DatabaseSessionBackend,
  SESSIONS_APP,
  Paginator,
  Page,
  InvalidPage,
  PageNotAnInteger,
  EmptyPage,
  type InstanceOf,
  type ModelClass,
  type AnyModel,
  type Migration,
  type DatabaseSettings,
} from "./db/index.js";

export { ListView, DetailView, CreateView, UpdateView, DeleteView, SingleObjectView, ModelEditView, type EditForm, type EditFormClass, type FieldErrors } from "./views/generic/index.js";

// Forms, auth, mail and test tools (issue 15)
export * from "./forms/index.js";
export * from "./auth/index.js";
export * from "./mail/index.js";
export * from "./test/index.js";
// WebSocket routes, consumers and groups (Django Channels style, issue 16).
export * from "./channels/index.js";
export { RedisChannelLayer, type RedisChannelLayerOptions } from "./channels/redisChannelLayer.js";
