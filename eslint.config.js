import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

// Client components run in the browser: they may import request schemas from server/, nothing else.
const noServerImportsInClientComponents = {
  meta: { type: "problem", messages: { serverImport: "Client components must not import {{source}}: only server/**/schemas may cross to the browser." } },
  create(context) {
    const program = context.sourceCode.ast;
    const isClient = program.body.some((node) => node.type === "ExpressionStatement" && node.directive === "use client");
    if (!isClient) return {};
    return {
      ImportDeclaration(node) {
        if (node.importKind === "type") return; // types are erased: nothing reaches the browser
        const source = String(node.source.value);
        const isServer = source.startsWith("@/server/") || source.startsWith("@/drizzle/");
        if (isServer && !/\/schemas$/.test(source)) context.report({ node, messageId: "serverImport", data: { source } });
      },
    };
  },
};

export default [
  ...nextVitals,
  ...nextTypescript,
  { ignores: [".next/**", ".data/**", "node_modules/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "drizzle/migrations/**"] },
  {
    plugins: { boundaries: { rules: { "no-server-in-client": noServerImportsInClientComponents } } },
    rules: {
      "boundaries/no-server-in-client": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "import/no-anonymous-default-export": "off",
    },
  },
  {
    // Tests read loosely typed JSON responses.
    files: ["**/*.test.ts", "test/support/**", "e2e/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // Playwright fixtures receive a callback named `use`, which is not React's hook.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    // Domain code is shared with workers and scripts: no web framework in it, and no arrow climbs back up to the
    // developer tooling or the test support (tests beside the code may use them).
    files: ["server/**/*.ts", "workers/**/*.ts", "drizzle/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["next", "next/*", "@/app/*"], message: "server/, workers/ and drizzle/ must not depend on Next.js or app/." },
            { group: ["@/scripts/*", "@/test/*", "@/e2e/*"], message: "server/, workers/ and drizzle/ must not depend on scripts or tests." },
          ],
        },
      ],
    },
  },
  {
    // Tests beside the code: still no Next.js in them.
    files: ["server/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["next", "next/*", "@/app/*"], message: "server/ tests must not depend on Next.js or app/." }] }],
    },
  },
];
