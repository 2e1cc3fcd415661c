import type { Metadata } from "next";
import { Fragment, type ReactNode } from "react";
import { getOpenApiDocument, type JsonSchema, type OpenApiOperation } from "@/server/openapi/document";
import { bodyVariants, parameterRow, refName, type FieldRow } from "./schema-text";
import { TableScroll } from "@/app/components/table-scroll";

export const metadata: Metadata = { title: "API documentation" };

const AUTH: Record<OpenApiOperation["x-auth"], string> = {
  anonymous: "anyone",
  "signed-in": "any signed-in user (session cookie)",
  bettor: "a bettor (session cookie)",
  staff: "staff (session cookie)",
  metrics: "Authorization: Bearer METRICS_TOKEN, or a loopback client when no token is set",
};

/** `code` spans in the document's prose, the only markup it uses. */
function prose(text: string): ReactNode {
  return text.split("`").map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : <Fragment key={i}>{part}</Fragment>));
}

function SchemaLink({ name }: { name: string }) {
  return <a href={`#schema-${name}`}>{name}</a>;
}

function Fields({ rows, label }: { rows: FieldRow[]; label: string }) {
  if (rows.length === 0) return <p className="muted">No fields.</p>;
  return (
    <TableScroll label={label}>
      <table className="table api-fields" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Type</th>
            <th scope="col">Required</th>
            <th scope="col">Notes</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.name}>
              <td>
                <code>{row.name}</code>
              </td>
              <td>
                {row.ref ? <SchemaLink name={row.ref} /> : <code>{row.type}</code>}
                {row.ref && row.type.endsWith("[]") ? "[]" : ""}
              </td>
              <td>{row.isRequired ? "yes" : "no"}</td>
              <td>
                {row.notes.map((note, i) => (
                  <Fragment key={i}>
                    {i > 0 && <br />}
                    {prose(note)}
                  </Fragment>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function Operation({
  method,
  path,
  op,
  resolve,
}: {
  method: string;
  path: string;
  op: OpenApiOperation;
  resolve: (name: string) => JsonSchema;
}) {
  const body = op.requestBody?.content["application/json"].schema;
  const bodyName = body && refName(body);
  const variants = body ? bodyVariants(body, resolve) : [];
  return (
    <article className="card api-op" id={op.operationId} aria-labelledby={`${op.operationId}-title`}>
      <h3 id={`${op.operationId}-title`} className="api-op-title">
        <span className={`api-method api-method-${method}`}>{method.toUpperCase()}</span> <code>{path}</code>
      </h3>
      <p>
        <strong>{op.summary}.</strong> {op.description && prose(op.description)}
      </p>
      <p className="muted">Who may call: {AUTH[op["x-auth"]]}.</p>
      {op.parameters && (
        <>
          <h4>Parameters</h4>
          <Fields label={`Parameters of ${method.toUpperCase()} ${path}`} rows={op.parameters.map(parameterRow)} />
        </>
      )}
      {body && (
        <>
          <h4>
            Body: {bodyName ? <SchemaLink name={bodyName} /> : "JSON"}
            {variants.length > 1 && `, one of ${variants.length} shapes`}
          </h4>
          {variants.map((rows, i) => (
            <Fields key={i} rows={rows} label={`Body of ${method.toUpperCase()} ${path}${variants.length > 1 ? `, shape ${i + 1}` : ""}`} />
          ))}
        </>
      )}
      <h4>Responses</h4>
      <dl className="api-responses">
        {Object.entries(op.responses).map(([status, response]) => {
          const [type, media] = Object.entries(response.content ?? {})[0] ?? [];
          const name = media && refName(media.schema);
          const isError = Number(status) >= 400 && !name;
          return (
            <Fragment key={status}>
              <dt>
                <span className={Number(status) >= 400 ? "api-status api-status-error" : "api-status"}>{status}</span>
              </dt>
              <dd>
                {isError
                  ? response.description.split(", ").map((code, i) => (
                      <Fragment key={code}>
                        {i > 0 && ", "}
                        <code>{code}</code>
                      </Fragment>
                    ))
                  : prose(response.description)}
                {name && (
                  <>
                    {" "}
                    <SchemaLink name={name} />
                  </>
                )}
                {type && !name && !isError && <> ({type})</>}
              </dd>
            </Fragment>
          );
        })}
      </dl>
    </article>
  );
}

// Rendered on the server from the same document as GET /api/openapi.json: no client script, so the page's strict CSP
// needs nothing more.
export default function ApiDocsPage() {
  const document = getOpenApiDocument();
  const resolve = (name: string) => document.components.schemas[name]!;
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  return (
    <>
      <h1 className="page-title">API documentation</h1>
      <div className="api-intro">
        {document.info.description.split("\n\n").map((paragraph, i) => (
          <p key={i}>{prose(paragraph)}</p>
        ))}
        <p>
          The machine-readable form is the OpenAPI 3.1 document at <a href="/api/openapi.json">/api/openapi.json</a>, generated from the zod
          schemas the routes parse. {operations.length} operations.
        </p>
      </div>
      <nav aria-label="Operations" className="api-toc">
        {document.tags.map(({ name }) => (
          <section key={name}>
            <h2 className="backoffice-title">{name}</h2>
            <ul>
              {operations
                .filter(({ op }) => op.tags.includes(name))
                .map(({ path, method, op }) => (
                  <li key={op.operationId}>
                    <a href={`#${op.operationId}`}>
                      <span className="api-method-text">{method.toUpperCase()}</span> {path}
                    </a>
                  </li>
                ))}
            </ul>
          </section>
        ))}
      </nav>
      {document.tags.map(({ name }) => (
        <section key={name} aria-labelledby={`tag-${name}`} className="api-tag">
          <h2 id={`tag-${name}`}>{name}</h2>
          {operations
            .filter(({ op }) => op.tags.includes(name))
            .map(({ path, method, op }) => (
              <Operation key={op.operationId} method={method} path={path} op={op} resolve={resolve} />
            ))}
        </section>
      ))}
      <section aria-labelledby="schemas" className="api-tag">
        <h2 id="schemas">Schemas</h2>
        {Object.entries(document.components.schemas).map(([name, schema]) => {
          const variants = bodyVariants(schema, resolve);
          return (
            <article key={name} id={`schema-${name}`} className="card api-op">
              <h3 className="api-op-title">
                <code>{name}</code>
              </h3>
              {schema.description && <p>{prose(schema.description)}</p>}
              {variants.map((rows, i) => (
                <Fields key={i} rows={rows} label={`${name}${variants.length > 1 ? `, shape ${i + 1}` : ""}`} />
              ))}
            </article>
          );
        })}
      </section>
    </>
  );
}
