import { z } from "zod";
import { type SearchCursor, searchNames } from "../../../db/commands/files/search";
import { operation } from "../../route-table";
import { nextCursor, timestamp, uuid } from "../../schemas";
import { FileView } from "../files/views";
import * as T from "./search.schema";

const encodeCursor = (cursor: SearchCursor | null) =>
  cursor ? Buffer.from(JSON.stringify(cursor)).toString("base64url") : null;

const SearchHit = z.object({
  kind: z.enum(["file", "folder"]),
  id: uuid,
  name: z.string(),
  folderId: uuid.nullable().describe("The folder it is in; null: the root."),
  status: FileView.shape.status.optional().describe("Files only."),
  sizeBytes: z.number().int().optional().describe("Files only."),
  mimeType: z.string().optional().describe("Files only."),
  updatedAt: timestamp,
  path: z
    .array(z.object({ id: uuid, name: z.string() }))
    .meta({ description: "Breadcrumbs of the folder it is in, top folder first; empty in the root" }),
});

export const searchRoutes = [
  operation({
    operationId: "search",
    method: "get",
    path: "/search",
    summary: "The caller's live folders and files whose name contains q",
    description: "Case-insensitive; trashed items and failed uploads never match. By name, one page at a time.",
    tag: "search",
    auth: "user",
    input: T.SearchSchema,
    responses: {
      200: { description: "One page of hits", body: z.object({ results: z.array(SearchHit), nextCursor }) },
    },
    handler: async (ctx) => {
      const { q, limit, cursor } = ctx.input.query;
      const page = await searchNames(ctx.deps.db, ctx.state.userId!, q, limit, cursor);
      ctx.body = {
        results: page.results.map(({ status, sizeBytes, mimeType, ...hit }) =>
          hit.kind === "file" ? { ...hit, status, sizeBytes, mimeType } : hit,
        ),
        nextCursor: encodeCursor(page.nextCursor),
      };
    },
  }),
];
