/**
 * JSON.parse keeps the last of two equal keys, so `{"qty": 1, "qty": 100}` would quietly mean 100 while
 * a log, a proxy or the sender's own reading may take the first. Such a body is refused, never guessed.
 */
export interface DuplicateKey {
  /** Where the repeated key sits: the keys and array indexes leading to it, the key itself last. */
  path: (string | number)[];
}

type Frame = { kind: 'object'; keys: Set<string>; expectingKey: boolean; key: string } | { kind: 'array'; index: number };

/** The index of the quote that closes the string opening at `start`. */
function endOfString(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
  return index;
}

/**
 * The first key repeated within one object of `text`, or null. Call it only on text JSON.parse has
 * accepted: the scan then trusts the grammar and only tracks where objects, arrays and keys are.
 * Keys are compared decoded, so "qty" and "\u0071ty" are the same key. An explicit stack, not
 * recursion, so deep nesting cannot overflow it.
 */
export function firstDuplicateKey(text: string): DuplicateKey | null {
  const stack: Frame[] = [];
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    const top = stack[stack.length - 1];
    if (char === '"') {
      const end = endOfString(text, index);
      if (top?.kind === 'object' && top.expectingKey) {
        const key = JSON.parse(text.slice(index, end + 1)) as string;
        if (top.keys.has(key)) return { path: [...pathTo(stack), key] };
        top.keys.add(key);
        top.key = key;
        top.expectingKey = false;
      }
      index = end;
    } else if (char === '{') {
      stack.push({ kind: 'object', keys: new Set(), expectingKey: true, key: '' });
    } else if (char === '[') {
      stack.push({ kind: 'array', index: 0 });
    } else if (char === '}' || char === ']') {
      stack.pop();
    } else if (char === ',' && top) {
      if (top.kind === 'object') top.expectingKey = true;
      else top.index += 1;
    }
  }
  return null;
}

/** The path of the innermost object's parents (the object on top of the stack contributes nothing yet). */
function pathTo(stack: Frame[]): (string | number)[] {
  return stack.slice(0, -1).map((frame) => (frame.kind === 'object' ? frame.key : frame.index));
}
