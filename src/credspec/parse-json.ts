import { parseTree, printParseErrorCode } from 'jsonc-parser';
import type { Node, ParseError } from 'jsonc-parser';
import { fieldPath, LineIndex } from './positions.js';
import type { ParseNote, Position } from '../facts/credspec.js';
import { MAX_NESTING_DEPTH, NestingLimitError, pastBoundsAt } from '../protocol/json-depth.js';

export interface ParsedJson {
  value: unknown;
  positions: Record<string, Position>;
  notes: ParseNote[];
}

export class SyntaxProblem extends Error {
  constructor(
    message: string,
    readonly position: Position,
  ) {
    super(message);
  }
}

/** A text refused because it goes past a bound (nesting, aliases): not a syntax error, the text may be valid. */
export class LimitProblem extends SyntaxProblem {}

/**
 * Keys and values in one credential spec file. A spec holds about 30, a list of a thousand GMSACredentialSpec
 * resources some 40,000; every value costs a position and a walk of each check, so a file of millions would take
 * minutes while staying under the size limit.
 */
export const MAX_SPEC_VALUES = 100_000;

export function tooManyValues(maxValues: number): string {
  return `more than ${maxValues} keys and values: refused, as judging them all would take too long`;
}

const ERROR_TEXT: Record<string, string> = {
  InvalidSymbol: 'unexpected character (a value must be a quoted string, number, object, array, true, false or null)',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'a property name in double quotes was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon was expected after the property name',
  CommaExpected: 'a comma was expected between values (or a string has an unescaped quote)',
  CloseBraceExpected: 'a closing } was expected',
  CloseBracketExpected: 'a closing ] was expected',
  EndOfFileExpected: 'text after the end of the JSON value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number is cut off',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character in a string (a Windows path needs \\\\)',
  InvalidCharacter: 'a control character inside a string',
};

function describe(error: ParseError): string {
  const code = printParseErrorCode(error.error);
  return `JSON syntax error: ${ERROR_TEXT[code] ?? code}`;
}

/** Parses strict JSON (no comments, no trailing commas), keeping the position of every value and duplicate keys. */
export function parseJson(text: string, maxDepth = MAX_NESTING_DEPTH, maxValues = MAX_SPEC_VALUES): ParsedJson {
  const lines = new LineIndex(text);
  const past = pastBoundsAt(text, maxDepth, maxValues);
  if (past) {
    const why =
      past.bound === 'depth' ? new NestingLimitError(past.offset, maxDepth).message : tooManyValues(maxValues);
    throw new LimitProblem(why, lines.at(past.offset));
  }
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first || !tree) {
    throw new SyntaxProblem(first ? describe(first) : 'the file is empty', lines.at(first?.offset ?? 0));
  }
  const positions: Record<string, Position> = {};
  const notes: ParseNote[] = [];
  const convert = (node: Node, path: string): unknown => {
    positions[path] = lines.at(node.offset);
    switch (node.type) {
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const property of node.children ?? []) {
          const [keyNode, valueNode] = property.children ?? [];
          if (!keyNode || !valueNode) continue;
          const key = String(keyNode.value);
          const childPath = fieldPath(path, key);
          if (Object.hasOwn(out, key)) {
            notes.push({
              kind: 'duplicate-key',
              message: `key ${key} appears twice; readers differ on which one wins`,
              field: childPath,
              position: lines.at(keyNode.offset),
            });
          }
          out[key] = convert(valueNode, childPath);
        }
        return out;
      }
      case 'array':
        return (node.children ?? []).map((child, i) => convert(child, fieldPath(path, i)));
      default:
        return node.value as unknown;
    }
  };
  return { value: convert(tree, ''), positions, notes };
}
