// Every test here is in the slow set: `./scripts/test.sh --fast` leaves them out (README.md, Tests).
[assembly: Trait("Category", "Slow")]
