/**
 * What a strategy may be called. Checked where strategies are made (UI and CLI) and in every order
 * request, so a name no strategy can have is refused as malformed (400, naming the field) before
 * authentication, not looked up and refused as unknown (403).
 */
export const STRATEGY_NAME_TEXT = /^[A-Za-z0-9_.-]+$/;
export const STRATEGY_NAME_CHARACTERS = 'letters, digits, _ . or -';
export const STRATEGY_NAME_MAX_LENGTH = 64;
