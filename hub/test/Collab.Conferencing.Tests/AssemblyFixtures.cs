using Collab.Testing;

[assembly: AssemblyFixture(typeof(RedisServer))]
