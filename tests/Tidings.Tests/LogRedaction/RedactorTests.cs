using Tidings.LogRedaction;

namespace Tidings.Tests.LogRedaction;

/// <summary>What the log redaction masks in a line of text, and what it leaves alone.</summary>
public sealed class RedactorTests
{
    private const string Token = "4f1c0e9a7b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c";

    [Theory]
    [InlineData("GET http://x/v3/identity?access_token=" + Token + " - 200", "GET http://x/v3/identity?access_token=*** - 200")]
    [InlineData("?fields[]=a&access_token=" + Token + "&limit=5", "?fields[]=a&access_token=***&limit=5")]
    [InlineData("?access%5Ftoken=" + Token, "?access%5Ftoken=***")]
    [InlineData("?%61%63cess_TOKEN=" + Token, "?%61%63cess_TOKEN=***")]
    [InlineData("?access_token[]=" + Token, "?access_token[]=***")]
    [InlineData("?access_token%3D" + Token, "?access_token%3D***")]
    [InlineData("Invalid request target: 'GET /v3/identity?access_token=" + Token + "\\x01 HTTP/1.1'", "Invalid request target: 'GET /v3/identity?access_token=*** HTTP/1.1'")]
    [InlineData("{\"access_token\": \"" + Token + "\"}", "{\"access_token\": \"***\"}")]
    [InlineData("Authorization: Bearer " + Token, "Authorization: ***")]
    [InlineData("Invalid request header: 'authorization: Basic dXNlcjpwYXNz'", "Invalid request header: 'authorization: ***'")]
    [InlineData("sent bearer " + Token + " upstream", "sent bearer *** upstream")]
    public void Credentials_are_masked_and_their_names_kept(string text, string expected)
    {
        Redactor.Redact(text).ShouldBe(expected);
    }

    [Theory]
    [InlineData("Request finished HTTP/1.1 GET http://x/t/o/abc.gif - 200 - image/gif 0.2ms")]
    [InlineData("Created account 1 (Default) on first start")]
    [InlineData("the access token is wrong")]
    [InlineData("")]
    public void Text_without_credentials_is_returned_as_it_is(string text)
    {
        Redactor.Redact(text).ShouldBeSameAs(text);
    }
}
