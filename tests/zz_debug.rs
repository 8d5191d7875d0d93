use armistice::scenario::Scenario;
use armistice::sim::simulate_traced;
use std::path::Path;
#[test]
#[ignore]
fn dbg_tol() {
    let s = Scenario::load(Path::new(&std::env::var("SC").unwrap())).unwrap();
    let run: u64 = std::env::var("RUN").unwrap().parse().unwrap();
    let seed: u64 = std::env::var("SEED").unwrap().parse().unwrap();
    let mut prev: Vec<String> = vec![];
    for tol in [1e-10, 1e-8] {
        let mut t = s.clone();
        t.protocol.solver_tolerance = tol;
        let (rec, tr) = simulate_traced(&t, seed, run);
        let lines: Vec<String> = tr
            .iter()
            .map(|r| {
                format!(
                    "round {} evals {} rungs {} R {:.9?} offer {:?}",
                    r.round, r.solver_evals, r.ladder_steps, r.reservation, r.offer
                )
            })
            .collect();
        if !prev.is_empty() {
            for (i, (a, b)) in prev.iter().zip(&lines).enumerate() {
                if a != b {
                    println!("first diff at {i}:\n 1e-10 {a}\n 1e-8  {b}");
                    if i > 0 {
                        println!(" before: {}\n        {}", prev[i - 1], lines[i - 1]);
                    }
                    break;
                }
            }
        }
        println!(
            "tol {tol:e}: {:?} {:?} unconverged {:?}",
            rec.outcome, rec.round, rec.not_converged
        );
        prev = lines;
    }
}
