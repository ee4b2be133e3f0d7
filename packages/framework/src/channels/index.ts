export { WebsocketConsumer, JsonWebsocketConsumer, type ConsumerScope } from "./consumer.js";
export { InMemoryChannelLayer, type ChannelLayer, type GroupMember, type GroupMessage } from "./layers.js";
export { wsPath, withWebSockets, type WebSocketRoute, type WebSocketRouterOptions } from "./routing.js";
export { originAllowed } from "./origin.js";
export { handshakeAuthLoader, type HandshakeAuth } from "./handshakeAuth.js";
