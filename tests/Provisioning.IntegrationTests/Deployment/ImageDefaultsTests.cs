using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Provisioning.IntegrationTests.Infrastructure;

namespace Provisioning.IntegrationTests.Deployment;

/// <summary>
/// The consumer as the image runs it, without a Docker engine: the app directory run by <c>dotnet</c> as a non-root user
/// (nobody), with only the image's environment (the aspnet base image's variables and our Dockerfile's ENV) plus what
/// compose adds (broker, WeCom), and a data folder writable only by that user standing for the <c>/data</c> volume.
/// It must answer <c>/health/ready</c> Healthy to a request from a non-loopback address, and keep its stores there.
/// </summary>
/// <remarks>The consumer here is the image's process, started by the test; the system's folder is the image's root.</remarks>
public sealed partial class ImageDefaultsTests() : SystemPerTest(new SystemOptions { Consumer = false })
{
    string Root => Sys.Folder;

    [GeneratedRegex(@"^Uid:\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex Uid();

    /// <summary>The Dockerfile's ENV lines for the consumer stage, as NAME=value pairs.</summary>
    static Dictionary<string, string> ImageEnvironment()
    {
        var dockerfile = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Dockerfile"));
        var consumer = dockerfile[dockerfile.IndexOf("AS consumer", StringComparison.Ordinal)..dockerfile.IndexOf("AS simulator", StringComparison.Ordinal)];
        var env = consumer[(consumer.IndexOf("\nENV ", StringComparison.Ordinal) + 5)..];
        env = env[..env.IndexOf("\nVOLUME", StringComparison.Ordinal)];
        return env.Split('\\').Select(p => p.Trim()).Where(p => p.Contains('=', StringComparison.Ordinal))
            .ToDictionary(p => p[..p.IndexOf('=', StringComparison.Ordinal)], p => p[(p.IndexOf('=', StringComparison.Ordinal) + 1)..]);
    }

    static IPAddress NonLoopbackAddress() =>
        NetworkInterface.GetAllNetworkInterfaces().Where(i => i.OperationalStatus == OperationalStatus.Up && i.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? throw new InvalidOperationException("This test needs a non-loopback IPv4 address on the machine");

    static async Task RunAsync(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true })!;
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)}: {await process.StandardError.ReadToEndAsync()}");
    }

    [Fact]
    public async Task AsNobody_WithOnlyTheImagesEnvironment_ItIsReadyFromAnotherAddress_AndKeepsItsStoresInTheVolume()
    {
        // The app directory where the image puts it, readable by all (the build output may sit under a private home).
        var app = Path.Combine(Root, "app");
        Directory.CreateDirectory(app);
        foreach (var file in Directory.GetFiles(RepositoryPaths.Output("Provisioning.Consumer"), "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(app, Path.GetRelativePath(RepositoryPaths.Output("Provisioning.Consumer"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        await RunAsync("chmod", "-R", "a+rX", Root);
        // The volume: owned by the image's user, as the Dockerfile's chown makes it.
        var data = Path.Combine(Root, "data");
        Directory.CreateDirectory(data);
        await RunAsync("chown", "nobody", data);

        var port = FreePort();
        var image = ImageEnvironment();
        Assert.Equal("http://0.0.0.0:8091", image["Urls"]);
        Assert.Equal("/data/idempotency.db", image["Storage__SqlitePath"]);
        var environment = new Dictionary<string, string>
        {
            // What the aspnet:10.0 base image sets.
            ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ["ASPNETCORE_HTTP_PORTS"] = "8080",
            ["DOTNET_RUNNING_IN_CONTAINER"] = "true",
            ["APP_UID"] = "1654",
        };
        foreach (var (key, value) in image)
            environment[key] = value.Replace(":8091", $":{port}", StringComparison.Ordinal).Replace("/data", data, StringComparison.Ordinal);
        // What compose adds (docker-compose.yml).
        environment["ConnectionStrings__RabbitMq"] = Sys.Broker.AmqpUri.ToString();
        environment["WeCom__BaseUrl"] = Sys.Simulator.BaseUrl.ToString();
        environment["WeCom__CorpId"] = Simulator.CorpId;
        environment["WeCom__CorpSecret"] = Sys.Simulator.Secret;

        var start = new ProcessStartInfo("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "env", "-i",
            .. environment.Select(e => $"{e.Key}={e.Value}"), "/usr/bin/dotnet", "Provisioning.Consumer.dll"])
        {
            WorkingDirectory = app,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (!File.Exists("/usr/bin/dotnet"))
            start.ArgumentList[start.ArgumentList.IndexOf("/usr/bin/dotnet")] = Path.GetFullPath(Environment.ProcessPath!);
        using var consumer = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        consumer.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        consumer.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        consumer.BeginOutputReadLine();
        consumer.BeginErrorReadLine();
        try
        {
            var address = NonLoopbackAddress();
            using var http = new HttpClient { BaseAddress = new Uri($"http://{address}:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
            var body = "";
            await Wait.Until(async () =>
            {
                Assert.False(consumer.HasExited, "the consumer exited:\n" + output);
                try
                {
                    using var ready = await http.GetAsync("health/ready");
                    body = await ready.Content.ReadAsStringAsync();
                    return ready.StatusCode == HttpStatusCode.OK && body.Contains("\"status\":\"Healthy\"", StringComparison.Ordinal);
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(60), $"/health/ready Healthy from {address}");

            Assert.Equal("65534", Uid().Match(await File.ReadAllTextAsync($"/proc/{consumer.Id}/status")).Groups[1].Value);
            // A command, so that each store writes: the idempotency store, the provisioning log, the console's keys.
            var (outcomes, publisher) = (Sys.Outcomes, Sys.Publisher);
            var command = ProvisioningSystem.NewCommand("image");
            await publisher.PublishAsync(command);
            await outcomes.CreatedFor(command.RequestId);
            Assert.True(File.Exists(Path.Combine(data, "idempotency.db")), "no idempotency store in the volume");
            await Wait.Until(() => Task.FromResult(File.Exists(Path.Combine(data, "provisioning-log.db"))), TimeSpan.FromSeconds(30), "the provisioning log in the volume");
            // Issue 20: a plain TCP forwarder (kubectl port-forward, ssh -L) delivers an outside request from loopback, naming
            // localhost. In the image that makes no one the operator: before, /api/audit answered 200 without a key.
            using (var forwarded = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) })
            {
                using var audit = new HttpRequestMessage(HttpMethod.Get, "api/audit");
                audit.Headers.Host = $"localhost:{port}";
                Assert.Equal(HttpStatusCode.Unauthorized, (await forwarded.SendAsync(audit)).StatusCode);
            }
            // The metrics endpoint is on in the image, the console answers (with a key only, from another address).
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("metrics")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("api/requests")).StatusCode);
            Assert.DoesNotContain("   at ", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            if (!consumer.HasExited)
            {
                consumer.Kill(entireProcessTree: true);
                await consumer.WaitForExitAsync();
            }
        }
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
