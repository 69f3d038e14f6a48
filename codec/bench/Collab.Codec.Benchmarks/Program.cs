using BenchmarkDotNet.Running;

// dotnet run -c Release --project codec/bench/Collab.Codec.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
