/** A message sent to a group: delivered to each member's `groupMessage` (Channels' `type` handlers). */
export type GroupMessage = Record<string, unknown>;

/** A member of groups: a consumer, as the layer sees it. */
export interface GroupMember {
  groupMessage(message: GroupMessage): Promise<void>;
}

/**
 * Where groups live (Django Channels' channel layer): the in-process default reaches the sockets
 * of this process; a layer on Redis (the scale-out issue) implements the same three calls across workers.
 */
export interface ChannelLayer {
  groupAdd(group: string, member: GroupMember): Promise<void>;
  groupDiscard(group: string, member: GroupMember): Promise<void>;
  /** Delivers `message` to every member; resolves once each took it (a slow socket slows the sender). */
  groupSend(group: string, message: GroupMessage): Promise<void>;
}

/**
 * Groups within one process: the default layer.
 *
 * @example
 * const layer = new InMemoryChannelLayer();
 * await layer.groupAdd("chat_lobby", consumer);
 * await layer.groupSend("chat_lobby", { type: "chat.message", text: "hi" });
 */
export class InMemoryChannelLayer implements ChannelLayer {
  readonly #groups = new Map<string, Set<GroupMember>>();

  async groupAdd(group: string, member: GroupMember): Promise<void> {
    let members = this.#groups.get(group);
    if (members === undefined) this.#groups.set(group, (members = new Set()));
    members.add(member);
  }

  async groupDiscard(group: string, member: GroupMember): Promise<void> {
    const members = this.#groups.get(group);
    members?.delete(member);
    if (members?.size === 0) this.#groups.delete(group);
  }

  async groupSend(group: string, message: GroupMessage): Promise<void> {
    const members = [...(this.#groups.get(group) ?? [])];
    // One member gone mid-send must not stop the others.
    await Promise.allSettled(members.map((member) => member.groupMessage(message)));
  }

  /** Members of `group` (for tests and stats). */
  size(group: string): number {
    return this.#groups.get(group)?.size ?? 0;
  }
}
