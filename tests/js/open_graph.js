// Open one of kgraph's output files with the JavaScript client its users load it with, and
// print what the client sees, as JSON.
//
//   node open_graph.js gexf|graphml|graphology|cytoscape|d3 FILE
//
// gexf, graphml: graphology-gexf / graphology-graphml (the parsers Gephi Lite uses) into a
// graphology Graph; graphology: Graph.from; cytoscape: a headless cytoscape.js instance
// (the file's elements, style and preset layout);
// d3: d3-force's link force, which looks every link end up by node id (and throws on a
// missing one). A parser error exits with status 1 and the message on stderr.
'use strict';

const fs = require('fs');
const {Graph} = require('graphology');

function fromGraph(graph) {
  return {
    type: graph.type,
    order: graph.order,
    size: graph.size,
    attributes: graph.getAttributes(),
    nodes: graph.mapNodes((key, attributes) => ({key, attributes})),
    edges: graph.mapEdges((key, attributes, source, target) => ({key, source, target, attributes}))
  };
}

function open(format, text) {
  if (format === 'gexf') return fromGraph(require('graphology-gexf').parse(Graph, text));
  if (format === 'graphml') return fromGraph(require('graphology-graphml').parse(Graph, text));
  const data = JSON.parse(text);
  if (format === 'graphology') return fromGraph(Graph.from(data));
  if (format === 'cytoscape') {
    // as a page does it: cytoscape({container, ...data}), here without a container
    const cy = require('cytoscape')({...data, headless: true, styleEnabled: true});
    const seen = {
      order: cy.nodes().length,
      size: cy.edges().length,
      nodes: cy.nodes().map(n => ({key: n.id(), attributes: n.data(), position: {...n.position()}})),
      edges: cy.edges().map(e => ({key: e.id(), source: e.source().id(), target: e.target().id(), attributes: e.data()}))
    };
    cy.destroy(); // stops its render loop, so node can exit
    return seen;
  }
  if (format === 'd3') {
    const d3 = require('d3-force');
    const simulation = d3
      .forceSimulation(data.nodes)
      .force('link', d3.forceLink(data.links).id(d => d.id))
      .stop();
    simulation.tick(1);
    return {
      order: data.nodes.length,
      size: data.links.length,
      nodes: data.nodes.map(n => ({key: n.id, attributes: n})),
      edges: data.links.map(l => ({source: l.source.id, target: l.target.id, attributes: {value: l.value}}))
    };
  }
  throw new Error(`unknown format ${format}`);
}

const [format, file] = process.argv.slice(2);
try {
  process.stdout.write(JSON.stringify(open(format, fs.readFileSync(file, 'utf8'))), () => process.exit(0));
} catch (e) {
  process.stderr.write(String(e && e.message ? e.message : e) + '\n');
  process.exit(1);
}
