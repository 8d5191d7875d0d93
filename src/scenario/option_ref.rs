//! Option references: an option is named `issue.option` (scoped) or by its bare id when no other
//! issue has an option of that id (`docs/scenario-format.md`, "Option ids").
//!
//! Option ids need only be unique within their issue, and ids may contain `.`, so a reference
//! such as `a.b.c` can be read several ways: the bare option `a.b.c` of some issue, option `b.c`
//! of issue `a`, or option `c` of issue `a.b`. Every reading that names an existing option
//! counts; exactly one is a match, more are an ambiguity that the caller reports with the
//! candidates in scoped form (which are distinct: the loader refuses two options with the same
//! scoped form, [`clashes`]).

/// The options that `text` can name: `(issue, option)` index pairs, in issue order, bare readings
/// first. `issues[k]` is issue k's id, `options[k]` its option ids.
pub fn readings<I: AsRef<str>, O: AsRef<str>>(text: &str, issues: &[I], options: &[Vec<O>]) -> Vec<(usize, usize)> {
    let mut out = vec![];
    for (k, opts) in options.iter().enumerate() {
        if let Some(o) = opts.iter().position(|o| o.as_ref() == text) {
            out.push((k, o));
        }
    }
    for (k, issue) in issues.iter().enumerate() {
        let Some(rest) = text.strip_prefix(issue.as_ref()).and_then(|r| r.strip_prefix('.')) else {
            continue;
        };
        if let Some(o) = options
            .get(k)
            .and_then(|opts| opts.iter().position(|o| o.as_ref() == rest))
            && !out.contains(&(k, o))
        {
            out.push((k, o));
        }
    }
    out
}

/// The option of issue `k` that `text` names: its bare id, or `issue.option` with issue `k`'s id.
pub fn within<O: AsRef<str>>(text: &str, issue: &str, options: &[O]) -> Option<usize> {
    options.iter().position(|o| o.as_ref() == text).or_else(|| {
        let rest = text.strip_prefix(issue)?.strip_prefix('.')?;
        options.iter().position(|o| o.as_ref() == rest)
    })
}

/// `issue.option`, the scoped form of an option.
pub fn scoped(issue: &str, option: &str) -> String {
    format!("{issue}.{option}")
}

/// Pairs of options `((k1, o1), (k2, o2))` of different issues whose scoped forms coincide (option
/// `b.c` of issue `a` and option `c` of issue `a.b` are both `a.b.c`): no reference could tell
/// them apart.
pub fn clashes<I: AsRef<str>, O: AsRef<str>>(
    issues: &[I],
    options: &[Vec<O>],
) -> Vec<((usize, usize), (usize, usize))> {
    let mut seen: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    let mut out = vec![];
    for (k, opts) in options.iter().enumerate() {
        for (o, id) in opts.iter().enumerate() {
            let Some(issue) = issues.get(k) else { continue };
            let name = scoped(issue.as_ref(), id.as_ref());
            match seen.get(&name) {
                Some(&first) if first.0 != k => out.push((first, (k, o))),
                Some(_) => {}
                None => {
                    seen.insert(name, (k, o));
                }
            }
        }
    }
    out
}

impl super::Scenario {
    /// Option `o` of issue `k` as outputs name it where no issue is implied: its bare id when no
    /// other issue has an option of that id (every scenario whose ids are unique prints as
    /// before), else `issue.option`.
    pub fn option_name(&self, k: usize, o: usize) -> String {
        let id = &self.issues[k].options[o].id;
        let shared = self
            .issues
            .iter()
            .enumerate()
            .any(|(j, i)| j != k && i.options.iter().any(|x| &x.id == id));
        if shared {
            scoped(&self.issues[k].id, id)
        } else {
            id.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn space() -> (Vec<&'static str>, Vec<Vec<&'static str>>) {
        (
            vec!["territory", "monitoring", "a", "a.b"],
            vec![
                vec!["T1", "none"],
                vec!["none", "UN"],
                vec!["b.c", "x"],
                vec!["c", "T1"],
            ],
        )
    }

    #[test]
    fn a_bare_id_reads_where_it_is_declared() {
        let (i, o) = space();
        assert_eq!(readings("UN", &i, &o), vec![(1, 1)]);
        assert_eq!(readings("none", &i, &o), vec![(0, 1), (1, 0)]);
        assert_eq!(readings("T1", &i, &o), vec![(0, 0), (3, 1)]);
        assert_eq!(readings("nowhere", &i, &o), vec![]);
    }

    #[test]
    fn a_scoped_id_reads_at_every_issue_it_can_start_with() {
        let (i, o) = space();
        assert_eq!(readings("monitoring.none", &i, &o), vec![(1, 0)]);
        assert_eq!(readings("territory.none", &i, &o), vec![(0, 1)]);
        // `a.b.c`: option `b.c` of `a` and option `c` of `a.b`
        assert_eq!(readings("a.b.c", &i, &o), vec![(2, 0), (3, 0)]);
        assert_eq!(readings("a.b.T1", &i, &o), vec![(3, 1)]);
        assert_eq!(readings("a.x", &i, &o), vec![(2, 1)]);
        assert_eq!(readings("territory.UN", &i, &o), vec![]);
    }

    #[test]
    fn within_an_issue_both_forms_work() {
        let (i, o) = space();
        assert_eq!(within("none", i[1], &o[1]), Some(0));
        assert_eq!(within("monitoring.none", i[1], &o[1]), Some(0));
        assert_eq!(within("territory.none", i[1], &o[1]), None);
        assert_eq!(within("b.c", i[2], &o[2]), Some(0));
        assert_eq!(within("a.b.c", i[2], &o[2]), Some(0));
    }

    #[test]
    fn equal_scoped_forms_clash() {
        let (i, o) = space();
        assert_eq!(clashes(&i, &o), vec![((2, 0), (3, 0))]);
        assert!(clashes(&i[..2], &o[..2]).is_empty());
    }
}
