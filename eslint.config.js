// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.name='process'][property.name='exit']",
          message: "Only src/cli.ts exits; set process.exitCode or throw a typed error.",
        },
        {
          selector: "ExportDefaultDeclaration",
          message: "Named exports only.",
        },
      ],
    },
  },
  {
    files: ["src/cli.ts", "test/**/*.ts"],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    files: ["bin/*.js", "eslint.config.js", "test/helpers/*.cjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
  {
    // bin/ is CommonJS (bin/package.json): Node starts it without its ES module loader. So are
    // the test preloads (`node --require`).
    files: ["bin/*.js", "test/helpers/*.cjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", __dirname: "readonly", __filename: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
