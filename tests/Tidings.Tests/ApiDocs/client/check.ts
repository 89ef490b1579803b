// Calls a running Tidings server through a client generated from its OpenAPI document (openapi-typescript types,
// openapi-fetch requests), the way a user of the document would. tsc type-checks every call against the generated
// types before this runs; a wrong schema fails there or in the checks below. Prints what it created as JSON.
//
//   TIDINGS_URL=http://127.0.0.1:5080 TIDINGS_TOKEN=… node generated/out/check.js
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./generated/schema.js";

const baseUrl = required("TIDINGS_URL");
const token = required("TIDINGS_TOKEN");

// The two security schemes: the token in an Authorization: Bearer header, or as Copernica's ?access_token=….
const bearer = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });
const queryToken: Middleware = {
  onRequest({ request }) {
    const url = new URL(request.url);
    url.searchParams.set("access_token", token);
    return new Request(url, request);
  },
};
const viaQuery = createClient<paths>({ baseUrl });
viaQuery.use(queryToken);
const anonymous = createClient<paths>({ baseUrl });

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Error("Check failed: " + what);
}

/** The id a create call answers with (201, empty body, X-Created). */
function createdId(response: Response, what: string): string {
  check(response.status === 201, `${what}: expected 201, got ${response.status}`);
  const id = response.headers.get("X-Created");
  check(id !== null && /^[0-9]+$/.test(id), `${what}: X-Created is ${id}`);
  return id;
}

const database = await bearer.POST("/v3/databases", { body: { name: "OpenApiShop", description: "made by the generated client" } });
const databaseId = createdId(database.response, "createDatabase");

const field = await bearer.POST("/v3/database/{id}/fields", {
  params: { path: { id: databaseId } },
  body: { name: "email", type: "email", index: true },
});
createdId(field.response, "createDatabaseField");

const profile = await bearer.POST("/v3/database/{id}/profiles", {
  params: { path: { id: databaseId } },
  body: { fields: { email: "ada@example.com" } },
});
const profileId = createdId(profile.response, "createProfile");

const update = await bearer.PUT("/v3/profile/{id}/fields", {
  params: { path: { id: profileId } },
  body: { email: "ada.lovelace@example.com" },
});
check(update.response.status === 204, `updateProfileFields: ${update.response.status}`);

// The database as the document describes it, read with the query-parameter token.
const read = await viaQuery.GET("/v3/database/{id}", { params: { path: { id: databaseId } } });
check(read.data !== undefined, `getDatabase: ${JSON.stringify(read.error)}`);
const fields: components["schemas"]["Field"][] = read.data.fields.data;
check(read.data.name === "OpenApiShop" && fields.length === 1 && fields[0].name === "email" && fields[0].type === "email", "getDatabase: " + JSON.stringify(read.data));

const list = await viaQuery.GET("/v3/database/{id}/profiles", {
  params: { path: { id: databaseId }, query: { "fields[]": ["email==ada.lovelace@example.com"], limit: 10 } },
});
check(list.data !== undefined, `listProfiles: ${JSON.stringify(list.error)}`);
check(list.data.count === 1 && list.data.total === 1 && list.data.limit === 10, "listProfiles paging: " + JSON.stringify(list.data));
const [listed] = list.data.data;
check(listed.ID === profileId && listed.fields.email === "ada.lovelace@example.com" && listed.removed === false, "listProfiles item: " + JSON.stringify(listed));

// Errors come back typed as Copernica's {"error":{"message":…}} with HTTP 400.
const missing = await bearer.GET("/v3/database/{id}", { params: { path: { id: "999999" } } });
check(missing.response.status === 400 && missing.error?.error.message === "No database with supplied ID", "missing database: " + JSON.stringify(missing.error));
const badToken = await createClient<paths>({ baseUrl, headers: { Authorization: "Bearer not-a-token" } }).GET("/v3/identity");
check(badToken.response.status === 400 && badToken.error?.error.message === "Invalid access token", "bad token: " + JSON.stringify(badToken.error));

const identity = await bearer.GET("/v3/identity");
check(identity.data !== undefined && /^[0-9]+$/.test(identity.data.id), "getIdentity: " + JSON.stringify(identity.data));

// A public tracking link: the open pixel answers a GIF to anyone, for any token.
const pixel = await anonymous.GET("/t/o/{token}", { params: { path: { token: "no-such-token" } }, parseAs: "arrayBuffer" });
check(pixel.response.status === 200 && pixel.response.headers.get("Content-Type") === "image/gif", `trackOpen: ${pixel.response.status}`);
check(pixel.data !== undefined && new TextDecoder().decode(pixel.data.slice(0, 6)) === "GIF89a", "trackOpen: not a GIF");

process.stdout.write(JSON.stringify({ databaseId, profileId, accountId: identity.data.id }) + "\n");
