using Collab.Hub;

var app = CollabHubApplication.Build(args);
app.Run();
