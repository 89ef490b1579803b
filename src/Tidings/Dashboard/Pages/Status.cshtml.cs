using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Tidings.Dashboard.Pages;

/// <summary>
/// The page shown for an error status of any dashboard request (re-executed by the status code pages, which keep the
/// status and the method): it takes no form data, so it needs no antiforgery token.
/// </summary>
[IgnoreAntiforgeryToken]
internal sealed class StatusModel : PageModel
{
    public int Code { get; private set; }

    public string Title => Code switch
    {
        400 => "The request was not accepted",
        403 => "Not allowed",
        404 => "Not found",
        _ => "Something went wrong",
    };

    public string Explanation => Code switch
    {
        400 => "The form may have expired or come from another page. Go back, reload the page and try again.",
        403 => "Your role does not allow this. Ask an admin of your account if you need it.",
        404 => "There is nothing here, or it belongs to another account.",
        _ => "The server could not answer this request. Try again later; if it keeps happening, tell your operator.",
    };

    public IActionResult OnGet(int code) => Show(code);

    public IActionResult OnPost(int code) => Show(code);

    private PageResult Show(int code)
    {
        Code = code is >= 400 and <= 599 ? code : 404;
        // Asked for directly (not re-executed after an error), the page still answers with its status.
        if (HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is null) Response.StatusCode = Code;
        return Page();
    }
}
