/**
 * Renders the windows-gmsa integration-test templates (Go text/template) with test values, the way their Go tests
 * do: `{{ .Field }}`, `{{ index .List 2 }}`, `{{ range $v := .List }}` / `{{ range $_, $v := ... }}`,
 * `{{ if .X }}...{{ else }}...{{ end }}`, `{{- ... -}}` whitespace trimming. Anything else throws, so a template
 * the tests cannot render faithfully is never half-rendered. Also `${VAR}` shell templates (envsubst).
 */

type Values = Record<string, unknown>;
type Node =
  | { text: string }
  | { expr: string }
  | { range: { key?: string; value: string; expr: string }; body: Node[] }
  | { if: string; then: Node[]; else: Node[] };

export function renderGoTemplate(template: string, values: Values): string {
  const tokens = tokenize(template);
  const [nodes, rest] = parse(tokens, 0, []);
  if (rest !== tokens.length) throw new Error(`template: unexpected ${JSON.stringify(tokens[rest])}`);
  return render(nodes, values, {});
}

/** `${NAME}` replaced; an unknown name throws (envsubst would silently leave it empty). */
export function renderShellTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\$\{([A-Z0-9_]+)\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`shell template: no value for \${${name}}`);
    return values[name]!;
  });
}

type Token = string | { action: string };

function tokenize(template: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\{\{(-?)\s*(.*?)\s*(-?)\}\}/gs;
  let last = 0;
  let trimNext = false;
  for (const match of template.matchAll(pattern)) {
    let text = template.slice(last, match.index);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (match[1] === '-') text = text.replace(/\s+$/, '');
    if (text) tokens.push(text);
    tokens.push({ action: match[2]! });
    trimNext = match[3] === '-';
    last = match.index + match[0].length;
  }
  let tail = template.slice(last);
  if (trimNext) tail = tail.replace(/^\s+/, '');
  if (tail) tokens.push(tail);
  return tokens;
}

function parse(tokens: Token[], start: number, stops: string[]): [Node[], number] {
  const nodes: Node[] = [];
  let i = start;
  while (i < tokens.length) {
    const token = tokens[i]!;
    if (typeof token === 'string') {
      nodes.push({ text: token });
      i++;
      continue;
    }
    const action = token.action;
    if (stops.includes(action.split(/\s+/)[0]!)) return [nodes, i];
    if (action.startsWith('/*')) {
      i++;
      continue;
    }
    const range = /^range\s+(?:(\$\w+)\s*,\s*)?(\$\w+)\s*:=\s*(.+)$/.exec(action);
    if (range) {
      const [body, end] = parse(tokens, i + 1, ['end']);
      nodes.push({ range: { ...(range[1] ? { key: range[1] } : {}), value: range[2]!, expr: range[3]! }, body });
      i = end + 1;
      continue;
    }
    const condition = /^if\s+(.+)$/.exec(action);
    if (condition) {
      const [then, stop] = parse(tokens, i + 1, ['else', 'end']);
      let otherwise: Node[] = [];
      let end = stop;
      if ((tokens[stop] as { action: string }).action === 'else') [otherwise, end] = parse(tokens, stop + 1, ['end']);
      nodes.push({ if: condition[1]!, then, else: otherwise });
      i = end + 1;
      continue;
    }
    nodes.push({ expr: action });
    i++;
  }
  if (stops.length > 0) throw new Error(`template: missing {{${stops.join(' or ')}}}`);
  return [nodes, i];
}

function render(nodes: Node[], dot: Values, variables: Record<string, unknown>): string {
  let out = '';
  for (const node of nodes) {
    if ('text' in node) out += node.text;
    else if ('expr' in node) out += String(evaluate(node.expr, dot, variables));
    else if ('range' in node) {
      const list = evaluate(node.range.expr, dot, variables);
      if (!Array.isArray(list)) throw new Error(`template: range over ${node.range.expr}, which is not a list`);
      list.forEach((item, index) => {
        out += render(node.body, dot, {
          ...variables,
          [node.range.value]: item,
          ...(node.range.key ? { [node.range.key]: index } : {}),
        });
      });
    } else out += render(truthy(evaluate(node.if, dot, variables)) ? node.then : node.else, dot, variables);
  }
  return out;
}

function evaluate(expr: string, dot: Values, variables: Record<string, unknown>): unknown {
  const index = /^index\s+(\S+)\s+(\d+)$/.exec(expr);
  if (index) {
    const list = evaluate(index[1]!, dot, variables);
    if (!Array.isArray(list) || Number(index[2]) >= list.length)
      throw new Error(`template: ${expr}: index out of range`);
    return list[Number(index[2])];
  }
  if (/^\$\w+$/.test(expr)) {
    if (!(expr in variables)) throw new Error(`template: undefined variable ${expr}`);
    return variables[expr];
  }
  if (/^(\.\w+)+$/.test(expr)) {
    let value: unknown = dot;
    for (const key of expr.slice(1).split('.')) {
      if (typeof value !== 'object' || value === null || !(key in value))
        throw new Error(`template: no value for ${expr}`);
      value = (value as Values)[key];
    }
    return value;
  }
  throw new Error(`template: unsupported action {{ ${expr} }}`);
}

function truthy(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}
