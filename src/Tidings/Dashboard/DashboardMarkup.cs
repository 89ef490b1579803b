using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Tidings.Dashboard;

/// <summary>Small pieces of markup the webhook and log file pages share; every text is HTML-encoded.</summary>
internal static class DashboardMarkup
{
    /// <summary><c>&lt;time&gt;</c> with a relative text, the exact UTC time as its title and machine-readable value.</summary>
    public static IHtmlContent Time(long unixMs, DateTimeOffset now)
    {
        var tag = new TagBuilder("time");
        tag.Attributes["datetime"] = RelativeTime.Iso(unixMs);
        tag.Attributes["title"] = DashboardFormat.Time(unixMs);
        tag.InnerHtml.Append(RelativeTime.Ago(unixMs, now));
        return tag;
    }

    /// <summary>A handler URL with its host in <c>&lt;strong&gt;</c>: the host is what domain validation, and the reader's trust, are about.</summary>
    public static IHtmlContent Handler(string url)
    {
        var tag = new TagBuilder("span");
        tag.AddCssClass("handler");
        var host = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : "";
        var at = host.Length > 0 ? url.IndexOf(host, StringComparison.OrdinalIgnoreCase) : -1;
        if (at < 0)
        {
            tag.InnerHtml.Append(url);
            return tag;
        }

        var strong = new TagBuilder("strong");
        strong.InnerHtml.Append(url.Substring(at, host.Length));
        tag.InnerHtml.Append(url[..at]).AppendHtml(strong).Append(url[(at + host.Length)..]);
        return tag;
    }
}
