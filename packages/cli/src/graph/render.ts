/**
 * The delegation graph as Mermaid (renders in GitHub Markdown) or Graphviz DOT. Rejected nodes
 * and edges are red and dashed, nodes accepted with problems amber; the order is the graph's.
 */
import type { DelegationGraph, GraphNode } from './build-graph.js';

/**
 * @example
 * ```text
 * flowchart LR
 *   gateway_kgateway_system_http{{"Gateway kgateway-system/http"}}
 *   gateway_kgateway_system_http --> route_kgateway_system_api
 * ```
 */
export function renderMermaid(graph: DelegationGraph): string {
  const lines = ['flowchart LR'];
  for (const node of graph.nodes) lines.push(`  ${node.id}${mermaidShape(node)}`);
  for (const edge of graph.edges) {
    const arrow = edge.rejected ? '-.->' : '-->';
    const label = edge.label === undefined ? '' : `|"${mermaidText(edge.label)}"|`;
    lines.push(`  ${edge.from} ${arrow}${label} ${edge.to}`);
  }
  const rejected = graph.nodes.filter((n) => n.mark === 'rejected').map((n) => n.id);
  const warning = graph.nodes.filter((n) => n.mark === 'warning').map((n) => n.id);
  if (rejected.length > 0 || warning.length > 0) {
    lines.push(
      '  classDef rejected fill:#fde8e8,stroke:#c81e1e,color:#9b1c1c,stroke-dasharray:4 3',
    );
    lines.push('  classDef warning fill:#fdf6b2,stroke:#c27803,color:#8e4b10');
    if (rejected.length > 0) lines.push(`  class ${rejected.join(',')} rejected`);
    if (warning.length > 0) lines.push(`  class ${warning.join(',')} warning`);
  }
  return `${lines.join('\n')}\n`;
}

function mermaidShape(node: GraphNode): string {
  const text = `"${node.label.map(mermaidText).join('<br/>')}"`;
  switch (node.kind) {
    case 'gateway':
      return `{{${text}}}`;
    case 'route':
      return `[${text}]`;
    case 'rule':
      return `(${text})`;
    case 'backend':
      return `[(${text})]`;
    case 'action':
      return `>${text}]`;
  }
}

// Mermaid labels are HTML inside quotes: entity codes keep quotes and brackets literal.
function mermaidText(text: string): string {
  return text
    .replace(/&/g, '#amp;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/\|/g, '#124;');
}

/**
 * @example
 * ```text
 * digraph switchyard {
 *   "gateway_kgateway_system_http" [shape=hexagon, label="Gateway kgateway-system/http"];
 * }
 * ```
 */
export function renderDot(graph: DelegationGraph): string {
  const lines = [
    'digraph switchyard {',
    '  rankdir=LR;',
    '  node [fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  for (const node of graph.nodes) {
    const attributes = [dotShape(node), `label="${node.label.map(dotText).join('\\n')}"`];
    const styles = [
      ...(node.kind === 'rule' ? ['rounded'] : []),
      ...(node.mark === 'rejected' ? ['dashed'] : []),
    ];
    if (styles.length > 0) attributes.push(`style="${styles.join(',')}"`);
    if (node.mark === 'rejected') attributes.push('color="#c81e1e"', 'fontcolor="#9b1c1c"');
    if (node.mark === 'warning') attributes.push('color="#c27803"', 'fontcolor="#8e4b10"');
    lines.push(`  "${node.id}" [${attributes.join(', ')}];`);
  }
  for (const edge of graph.edges) {
    const attributes: string[] = [];
    if (edge.label !== undefined) attributes.push(`label="${dotText(edge.label)}"`);
    if (edge.rejected) attributes.push('style="dashed"', 'color="#c81e1e"', 'fontcolor="#9b1c1c"');
    const suffix = attributes.length === 0 ? '' : ` [${attributes.join(', ')}]`;
    lines.push(`  "${edge.from}" -> "${edge.to}"${suffix};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function dotShape(node: GraphNode): string {
  switch (node.kind) {
    case 'gateway':
      return 'shape=hexagon';
    case 'route':
      return 'shape=box';
    case 'rule':
      return 'shape=box';
    case 'backend':
      return 'shape=cylinder';
    case 'action':
      return 'shape=note';
  }
}

function dotText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
