use armistice::scenario::Scenario;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let s = Scenario::load(std::path::Path::new(&path)).unwrap_or_else(|e| panic!("{e:?}"));
    let p = armistice::sim::run::expected_params(&s);
    let f = armistice::sim::run::first_round(&s, p);
    println!(
        "values {:?}\nconverged {} tau {} evals {}",
        f.values, f.converged, f.tau, f.evals
    );
    for (x, c) in f.choices.iter().enumerate() {
        println!(
            "state {x} proposer {} R {:?} pass {}",
            f.proposer[x], f.reservation[x], c.pass
        );
        for o in &c.offers {
            println!("  {:?}", o);
        }
    }
}
