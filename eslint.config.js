import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";
import prettier from "eslint-config-prettier/flat";

// Modules named *.shared.ts are the part of server/ that reaches the browser (request schemas, the Bet, odds
// arithmetic): client components may import those and nothing else from server/, and a shared module may import
// only zod and other shared modules, so nothing server-only is ever bundled through one.
const isShared = (filename) => /\.shared\.tsx?$/.test(filename);
const browserSafe = {
  meta: {
    type: "problem",
    messages: {
      clientImport: "Client components must not import {{source}}: only server/**/*.shared modules may cross to the browser.",
      sharedImport: "A *.shared module reaches the browser: it may import only zod and other *.shared modules, not {{source}}.",
    },
  },
  create(context) {
    const program = context.sourceCode.ast;
    const isClient = program.body.some((node) => node.type === "ExpressionStatement" && node.directive === "use client");
    const isSharedModule = isShared(context.filename) && !/\.test\.tsx?$/.test(context.filename);
    if (!isClient && !isSharedModule) return {};
    return {
      ImportDeclaration(node) {
        if (node.importKind === "type") return; // types are erased: nothing reaches the browser
        const source = String(node.source.value);
        if (isClient) {
          const isServer = source.startsWith("@/server/") || source.startsWith("@/drizzle/");
          if (isServer && !/\.shared$/.test(source)) context.report({ node, messageId: "clientImport", data: { source } });
        } else if (source !== "zod" && !/\.shared$/.test(source)) {
          context.report({ node, messageId: "sharedImport", data: { source } });
        }
      },
    };
  },
};

export default [
  ...nextVitals,
  ...nextTypescript,
  {
    ignores: [
      ".next/**",
      ".data/**",
      "node_modules/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
      "drizzle/migrations/**",
    ],
  },
  {
    plugins: { boundaries: { rules: { "browser-safe": browserSafe } } },
    rules: {
      "boundaries/browser-safe": "error",
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
            {
              group: ["@/scripts/*", "@/test/*", "@/e2e/*"],
              message: "server/, workers/ and drizzle/ must not depend on scripts or tests.",
            },
          ],
        },
      ],
    },
  },
  {
    // Tests beside the code: still no Next.js in them.
    files: ["server/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["next", "next/*", "@/app/*"], message: "server/ tests must not depend on Next.js or app/." }] },
      ],
    },
  },
  // Layout is Prettier's (`npm run format`, checked by `npm run lint`): no ESLint rule may disagree with it.
  prettier,
];
