using Collab.BareHub;

// The baseline the load generator compares Collab's hub with: SignalR and nothing else. Kestrel addresses and log
// levels come from the command line (--urls, --Logging:LogLevel:Default), as for the Collab hub.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSignalR(options => options.MaximumReceiveMessageSize = BroadcastHub.MaximumReceiveMessageSizeBytes)
    .AddJsonProtocol()
    .AddMessagePackProtocol();

var app = builder.Build();
app.MapHub<BroadcastHub>(BroadcastHub.Path);
app.Run();
