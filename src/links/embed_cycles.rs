//! Embeds that close a cycle (`![[B]]` in A and `![[A]]` in B): found
//! with strongly connected components, each reported once.

use super::*;

/// Whether `l` embeds a whole note (`![[B]]`). Embedding a part of one
/// (`![[B#Heading]]`, `![[B^block]]`, often of the note itself, as
/// Obsidian's help vault does) shows that part one level deep and is
/// never a cycle.
pub(crate) fn is_whole_embed(l: &WikiLink) -> bool {
    l.kind == LinkKind::Embed && l.anchor().is_none() && l.block().is_none()
}

/// A warning for each embed that closes a cycle of embeds (`![[B]]` in A
/// and `![[A]]` in B, or a note embedding itself). Pages embed one level
/// deep, so a cycle is never followed; the embed is shown as a link.
pub(super) fn embed_cycles(notes: &[Note]) -> Vec<Diagnostic> {
    let edges: Vec<Vec<(NoteIdx, &WikiLink)>> = notes
        .iter()
        .map(|n| {
            n.links
                .iter()
                .filter(|l| is_whole_embed(l))
                .filter_map(|l| l.resolved.map(|to| (to, l)))
                .collect()
        })
        .collect();
    if edges.iter().all(Vec::is_empty) {
        return Vec::new();
    }
    let component = strongly_connected(&edges);
    let mut out = Vec::new();
    for (from, list) in edges.iter().enumerate() {
        for (to, l) in list {
            if *to == from || component[*to] == component[from] {
                out.push(
                    Diagnostic::warning(
                        Code::EmbedCycle,
                        &notes[from].path,
                        l.span.line,
                        format!(
                            "this embed of {} is part of a cycle of embeds (it leads back to {}); it is shown as a link",
                            notes[*to].path, notes[from].path
                        ),
                    )
                    .at_span(l.span)
                    .with_help("link to the note with [[...]] instead of embedding it with ![[...]]"),
                );
            }
        }
    }
    out
}

/// The strongly connected component of each node of a graph (Tarjan's
/// algorithm, iterative so a long chain of embeds cannot overflow the stack).
fn strongly_connected<T>(edges: &[Vec<(NoteIdx, T)>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![UNSEEN; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut components = 0;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, next edge to follow)
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut e)) = work.last_mut() {
            if *e == 0 && index[v] == UNSEEN {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some((w, _)) = edges[v].get(*e) {
                *e += 1;
                let w = *w;
                if w >= n {
                    continue;
                }
                if index[w] == UNSEEN {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = components;
                    if w == v {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    component
}
