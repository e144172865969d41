// Placeholder until the benchmark issue: `npm run bench` will seed a dataset and run autocannon
// scenarios side by side with a floor (see bench/README.md once written).
console.log('benchmarks: not written yet (see the benchmark issue)');
