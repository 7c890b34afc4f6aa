using System.Net;
using AngleSharp.Html.Parser;

namespace TelemetryPortal.Web.Tests.Infrastructure;

/// <summary>Drives the static sign-in form and the sign-out form the way a browser does.</summary>
public static class PortalSession
{
    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string userName, string password, string? returnUrl = null)
    {
        var loginUrl = returnUrl is null ? "/account/login" : $"/account/login?returnUrl={Uri.EscapeDataString(returnUrl)}";
        var token = await GetAntiforgeryTokenAsync(client, loginUrl);
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.UserName"] = userName,
            ["Input.Password"] = password,
        });
        return await client.PostAsync(loginUrl, form);
    }

    public static async Task SignInOrFailAsync(this HttpClient client, string userName, string password)
    {
        var response = await client.SignInAsync(userName, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    public static async Task<HttpResponseMessage> SignOutAsync(this HttpClient client)
    {
        // The sign-out form sits in the interactive shell; its token comes with any signed-in page.
        var token = await GetAntiforgeryTokenAsync(client, "/");
        return await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
        }));
    }

    /// <summary>Where a redirect points, as a path and query on this site; fails for a redirect off the site.</summary>
    public static string RedirectTarget(this HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        if (location.IsAbsoluteUri)
        {
            Assert.Equal("localhost", location.Host);
            return location.PathAndQuery;
        }

        return location.OriginalString;
    }

    public static async Task<string> GetAntiforgeryTokenAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        var document = await new HtmlParser().ParseDocumentAsync(html);
        var input = document.QuerySelector("input[name=__RequestVerificationToken]")
            ?? throw new InvalidOperationException($"{url} has no antiforgery token.");
        return input.GetAttribute("value")!;
    }
}
