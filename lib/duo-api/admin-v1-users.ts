import { z } from "zod";
import { defineApiRoute } from "./define-api-route";

export const ZUsersV1ParamsSchema = z.object({
  limit: z.coerce.number().int().min(1).max(300).default(100),
  offset: z.coerce.number().int().min(0).default(0),
  username: z.string().min(1).max(1024).optional(),
});

const STATUS: Record<string, string> = { active: "active", bypass: "bypass", disabled: "disabled", locked_out: "locked out" };
const unix = (date: Date | null) => (date ? Math.floor(date.getTime() / 1000) : null);

// GET /admin/v1/users: Twofold's users in Duo's shape (read only), offset-paged as Duo's v1 lists are.
export const adminV1Users = defineApiRoute({
  path: "/admin/v1/users",
  methods: ["GET"],
  family: "admin",
  api: "admin",
  kind: "admin_api",
  schema: ZUsersV1ParamsSchema,
  handle: async (context) => {
    const { limit, offset, username } = context.params;
    const where = username ? { username: username.toLowerCase() } : {};
    const [total, users] = await Promise.all([
      context.deps.prisma.user.count({ where }),
      context.deps.prisma.user.findMany({
        where,
        orderBy: [{ username: "asc" }, { id: "asc" }],
        skip: offset,
        take: limit,
        select: { id: true, username: true, displayName: true, email: true, status: true, createdAt: true, lastSeenAt: true, groups: { select: { group: { select: { id: true, name: true, description: true } } } }, authenticators: { select: { id: true, kind: true, name: true, active: true, serial: true, digits: true } } },
      }),
    ]);
    const response = users.map((user) => {
      const active = user.authenticators.filter((authenticator) => authenticator.active);
      return {
        user_id: user.id,
        username: user.username,
        realname: user.displayName,
        email: user.email ?? "",
        status: STATUS[user.status] ?? user.status,
        is_enrolled: active.length > 0,
        groups: user.groups.map(({ group }) => ({ group_id: group.id, name: group.name, desc: group.description })),
        phones: active.filter((authenticator) => authenticator.kind === "push_device").map((phone) => ({ phone_id: phone.id, name: phone.name, platform: "Generic Smartphone", capabilities: ["push"], activated: true })),
        tokens: active.filter((authenticator) => authenticator.kind === "hotp").map((token) => ({ token_id: token.id, serial: token.serial ?? "", type: token.digits === 8 ? "h8" : "h6" })),
        last_login: unix(user.lastSeenAt),
        created: unix(user.createdAt),
        alias1: null,
        alias2: null,
        alias3: null,
        alias4: null,
        aliases: {},
        notes: "",
      };
    });
    const next = offset + users.length < total ? offset + users.length : undefined;
    return { response, metadata: { total_objects: total, ...(next === undefined ? {} : { next_offset: next }), ...(offset > 0 ? { prev_offset: Math.max(0, offset - limit) } : {}) } };
  },
});
