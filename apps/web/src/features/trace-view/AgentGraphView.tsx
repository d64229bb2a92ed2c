// The agent graph as plain SVG: nodes are buttons (click or Enter) that narrow the span tree to
// their spans; edges carry call counts, summed durations and errors.

import { useMemo, type KeyboardEvent } from 'react';
import type { AgentGraph, AgentGraphNode, GraphNodeKind } from '../../model/agent-graph.js';
import { GRAPH_NODE_HEIGHT, GRAPH_NODE_WIDTH, layoutAgentGraph } from '../../model/agent-graph-layout.js';
import { formatDurationMs } from '../../model/format.js';

const KIND_COLOUR: Record<GraphNodeKind, string> = {
  agent: 'var(--type-agent)',
  tool: 'var(--type-tool)',
  model: 'var(--type-llm)',
  entry: 'var(--type-other)',
};

const KIND_WORD: Record<GraphNodeKind, string> = { agent: 'Agent', tool: 'Tool', model: 'Model', entry: 'Calls outside any agent' };

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function nodeSummary(node: AgentGraphNode): string {
  const parts = [`${node.spanIds.length} span${node.spanIds.length === 1 ? '' : 's'}`, formatDurationMs(node.totalDurationMs)];
  if (node.errorCount > 0) parts.push(`${node.errorCount} error${node.errorCount === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

export function AgentGraphView({ graph, selectedNodeId, onSelectNode }: { graph: AgentGraph; selectedNodeId: string | null; onSelectNode: (nodeId: string) => void }) {
  const layout = useMemo(() => layoutAgentGraph(graph), [graph]);
  const onKeyDown = (event: KeyboardEvent<SVGGElement>, nodeId: string) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    onSelectNode(nodeId);
  };
  return (
    <div className="agent-graph">
      <svg width={layout.width} height={layout.height} role="group" aria-label="Agent graph">
        <defs>
          <marker id="graph-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className="graph-arrow" />
          </marker>
          <marker id="graph-arrow-error" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className="graph-arrow error" />
          </marker>
        </defs>
        {layout.edges.map(({ edge, path, labelX, labelY }) => {
          const label = `×${edge.count} · ${formatDurationMs(edge.totalDurationMs)}${edge.errorCount > 0 ? ` · ${edge.errorCount} err` : ''}`;
          return (
            <g key={edge.id} className={`graph-edge ${edge.kind}${edge.errorCount > 0 ? ' error' : ''}`} data-edge={edge.id}>
              <title>{`${edge.kind === 'handoff' ? 'Hand-off' : 'Calls'} ${edge.from.replace(/^\w+:/, '')} → ${edge.to.replace(/^\w+:/, '')}: ${label}`}</title>
              <path d={path} markerEnd={`url(#${edge.errorCount > 0 ? 'graph-arrow-error' : 'graph-arrow'})`} />
              <text x={labelX} y={labelY} textAnchor="middle" className="graph-edge-label">
                {label}
              </text>
            </g>
          );
        })}
        {layout.nodes.map(({ node, x, y }) => {
          const selected = node.id === selectedNodeId;
          return (
            <g
              key={node.id}
              className={`graph-node${selected ? ' selected' : ''}${node.errorCount > 0 ? ' error' : ''}`}
              transform={`translate(${x},${y})`}
              role="button"
              tabIndex={0}
              aria-pressed={selected}
              aria-label={`${KIND_WORD[node.kind]} ${node.kind === 'entry' ? '' : node.label}: ${nodeSummary(node)}`.replace(' :', ':')}
              data-node-id={node.id}
              onClick={() => onSelectNode(node.id)}
              onKeyDown={(event) => onKeyDown(event, node.id)}
            >
              <title>{`${KIND_WORD[node.kind]} ${node.label}\n${nodeSummary(node)}\nClick to show its spans`}</title>
              <rect width={GRAPH_NODE_WIDTH} height={GRAPH_NODE_HEIGHT} rx={8} className="graph-node-box" />
              <rect width={5} height={GRAPH_NODE_HEIGHT} rx={2} fill={KIND_COLOUR[node.kind]} />
              <text x={14} y={17} className="graph-node-label">
                {truncate(node.kind === 'agent' ? node.label : node.kind === 'entry' ? 'outside any agent' : `${node.kind === 'tool' ? '⚙ ' : '◆ '}${node.label}`, 21)}
              </text>
              <text x={14} y={33} className={`graph-node-sub${node.errorCount > 0 ? ' error' : ''}`}>
                {nodeSummary(node)}
              </text>
            </g>
          );
        })}
      </svg>
      {graph.hiddenNodeCount > 0 && <p className="dim graph-note">{graph.hiddenNodeCount} rarely used tools and models are not drawn.</p>}
    </div>
  );
}
