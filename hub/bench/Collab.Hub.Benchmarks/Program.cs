using BenchmarkDotNet.Running;

// dotnet run -c Release --project hub/bench/Collab.Hub.Benchmarks -- --filter '*'   (needs redis-server on PATH)
BenchmarkSwitcher.FromAssembly(typeof(Collab.Hub.Benchmarks.RateLimitBenchmarks).Assembly).Run(args);
