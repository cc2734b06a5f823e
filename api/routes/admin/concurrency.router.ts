import { z } from "zod";
import { clearUploadSlots, uploadSlotsByUser } from "../../../db/commands/files/upload-concurrency";
import { clientIp } from "../../middleware/rate-limit";
import { operation } from "../../route-table";
import { timestamp, uuid } from "../../schemas";

const UserSlots = z.object({
  userId: uuid,
  email: z.string(),
  open: z.number().int().describe("Open uploads, each holding a slot and its reservation."),
  reservedBytes: z.number().int(),
  oldestHeartbeatAt: timestamp.nullable(),
});

const ClearSlotsSchema = z.object({
  params: z.object({
    /** The user whose open uploads to abort. */
    userId: z.uuid().describe("The user whose open uploads to abort."),
  }),
});

/** Upload concurrency (SPEC §6 Admin): who holds slots, and clearing a user's stuck ones. */
export const adminConcurrencyRoutes = [
  operation({
    operationId: "getUploadConcurrency",
    method: "get",
    path: "/admin/uploads/concurrency",
    summary: "Open uploads per user against MAX_CONCURRENT_UPLOADS",
    tag: "admin",
    auth: "admin",
    rateLimit: "admin",
    responses: {
      200: {
        description: "The slots in use",
        body: z.object({
          limitPerUser: z.number().int().describe("MAX_CONCURRENT_UPLOADS"),
          openUploads: z.number().int(),
          users: z.array(UserSlots),
        }),
      },
    },
    handler: async (ctx) => {
      const users = await uploadSlotsByUser(ctx.deps.db);
      ctx.body = {
        limitPerUser: ctx.deps.config.MAX_CONCURRENT_UPLOADS,
        openUploads: users.reduce((sum, user) => sum + user.open, 0),
        users,
      };
    },
  }),
  operation({
    operationId: "clearUploadSlots",
    method: "delete",
    path: "/admin/uploads/concurrency/:userId",
    summary: "Abort a user's open uploads: their slots and reservations are freed (audited)",
    tag: "admin",
    auth: "admin",
    rateLimit: "admin",
    input: ClearSlotsSchema,
    responses: {
      200: {
        description: "What was freed",
        body: z.object({ userId: uuid, aborted: z.number().int(), releasedBytes: z.number().int() }),
      },
    },
    errors: [[404, "not_found", "No such user"]],
    handler: async (ctx) => {
      ctx.body = await clearUploadSlots({
        db: ctx.deps.db,
        storage: ctx.deps.storage,
        actorId: ctx.state.userId!,
        userId: ctx.input.params.userId,
        ip: clientIp(ctx),
      });
    },
  }),
];
