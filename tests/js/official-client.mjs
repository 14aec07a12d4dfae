// Calls mockapi through the official mittwald JS client, as a program would, and prints a
// JSON summary on stdout: each call's operation, status, the problems found in its answer,
// and the answer itself (status, headers, data) for tests/test_official_clients.py to hold
// against the official document.
//
//   node official-client.mjs http://127.0.0.1:8080 <projectId>
import { MittwaldAPIV2Client, assertStatus, extractTotalCountHeader } from "@mittwald/api-client";

const [baseURL, projectId] = process.argv.slice(2);
if (!baseURL || !projectId) {
  console.error("usage: node official-client.mjs <mockapi URL> <projectId>");
  process.exit(2);
}

// The client's README: build it with a token, then reach its Axios instance for the rest.
const client = MittwaldAPIV2Client.newWithToken("official-js-client-token");
client.axios.defaults.baseURL = baseURL;

const calls = [];

// Call one operation, check its status with the client's own assertStatus, and note every
// expected field that is missing or of the wrong type.
async function call(operationId, request, status, expect) {
  const response = await request();
  const problems = [];
  try {
    assertStatus(response, status);
  } catch (error) {
    problems.push(`status ${response.status}, expected ${status}: ${error.message}`);
  }
  if (problems.length === 0 && expect) {
    try {
      problems.push(...expect(response.data, response));
    } catch (error) {
      // The client's helpers (extractTotalCountHeader) throw on a bad answer.
      problems.push(`${error.name}: ${error.message}`);
    }
  }
  calls.push({
    operationId,
    method: response.config.method.toUpperCase(),
    url: client.axios.getUri(response.config),
    status: response.status,
    headers: response.headers.toJSON(),
    data: response.data,
    problems,
  });
  return response.data;
}

// The fields a value must have, by JavaScript type ("array" for arrays).
function fields(value, types, where) {
  if (typeof value !== "object" || value === null) return [`${where}: not an object`];
  const problems = [];
  for (const [name, type] of Object.entries(types)) {
    const actual = Array.isArray(value[name]) ? "array" : typeof value[name];
    if (actual !== type) problems.push(`${where}.${name}: ${actual}, expected ${type}`);
  }
  return problems;
}

function items(data, types, check = () => []) {
  if (!Array.isArray(data)) return ["not an array"];
  if (data.length === 0) return ["an empty list"];
  return data.flatMap((item, index) => [
    ...fields(item, types, `[${index}]`),
    ...check(item, index),
  ]);
}

const inProject = (item, index) =>
  item.projectId === project.id ? [] : [`[${index}].projectId: ${item.projectId}`];

const project = await call(
  "project-get-project",
  () => client.project.getProject({ projectId }),
  200,
  (data) => fields(data, { id: "string", shortId: "string", customerId: "string", description: "string" }, "project"),
);

const databases = await call(
  "database-list-mysql-databases",
  () => client.database.listMysqlDatabases({ projectId: project.id }),
  200,
  (data) => items(data, { id: "string", name: "string", hostname: "string", version: "string", storageUsageInBytes: "number" }, inProject),
);

await call(
  "database-get-mysql-database",
  () => client.database.getMysqlDatabase({ mysqlDatabaseId: databases[0].id }),
  200,
  (data) => (data.id === databases[0].id && data.name === databases[0].name ? [] : [`not the listed database: ${data.id}`]),
);

const created = await call(
  "database-create-mysql-database",
  () =>
    client.database.createMysqlDatabase({
      projectId: project.id,
      data: {
        database: { description: "Shop staging (JS)", version: "8.0" },
        user: { accessLevel: "full", password: "Sup3r-Secret-Pass!" },
      },
    }),
  201,
  (data) => fields(data, { id: "string", userId: "string" }, "created"),
);

await call(
  "database-get-mysql-database",
  () => client.database.getMysqlDatabase({ mysqlDatabaseId: created.id }),
  200,
  (data) => (data.description === "Shop staging (JS)" ? [] : [`description: ${data.description}`]),
);

await call(
  "app-list-appinstallations",
  () => client.app.listAppinstallations({ projectId: project.id }),
  200,
  (data) => items(data, { id: "string", appId: "string", description: "string", installationPath: "string" }, inProject),
);

await call(
  "container-list-stacks",
  () => client.container.listStacks({ projectId: project.id }),
  200,
  (data) => items(data, { id: "string", description: "string", disabled: "boolean", prefix: "string" }, inProject),
);

await call(
  "ssh-user-list-ssh-users",
  () => client.sshsftpUser.sshUserListSshUsers({ projectId: project.id }),
  200,
  (data) => items(data, { id: "string", userName: "string", description: "string" }, inProject),
);

await call(
  "user-get-user",
  () => client.user.getUser({ userId: "self" }),
  200,
  (data) => fields(data, { userId: "string", person: "object" }, "user"),
);

await call(
  "customer-get-customer",
  () => client.customer.getCustomer({ customerId: project.customerId }),
  200,
  (data) => (data.customerId === project.customerId ? fields(data, { name: "string", customerNumber: "string" }, "customer") : [`customerId: ${data.customerId}`]),
);

await call(
  "backup-list-project-backups",
  () => client.backup.listProjectBackups({ projectId: project.id, queryParameters: { limit: 5 } }),
  200,
  (data, response) => {
    const problems = items(data, { id: "string", requestedAt: "string", status: "string" }, inProject);
    const total = extractTotalCountHeader(response);
    return total >= data.length ? problems : [...problems, `X-Pagination-TotalCount ${total}`];
  },
);

await call(
  "backup-create-project-backup",
  () =>
    client.backup.createProjectBackup({
      projectId: project.id,
      data: { expirationTime: "2026-03-01T12:00:00.000Z", description: "Before the update (JS)" },
    }),
  201,
  (data) => fields(data, { id: "string", status: "string" }, "backup"),
);

// The client names itself and its version in its User-Agent.
console.log(JSON.stringify({ client: client.axios.defaults.headers["User-Agent"], calls }));
