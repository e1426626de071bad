/** apisify's own variables (APISIFY_MASTER_PASSWORD among them) are no business of a third-party, network-facing binary. */
export function withoutApisifyVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.toUpperCase().startsWith('APISIFY_')));
}
