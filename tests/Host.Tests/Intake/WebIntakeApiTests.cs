using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Telephony.Host.Ivr;
using Telephony.Ivr.Services;
using Telephony.Tickets.Domain;
using Telephony.Tickets.Store;

namespace Telephony.Host.Tests.Intake;

/// <summary>POST /api/intake/requests through the serve app: a typed request becomes the draft a call would make, on channel web.</summary>
public class WebIntakeApiTests
{
    private WebIntakeApp _host = null!;
    private ITicketStore Store => _host.App.Services.GetRequiredService<ITicketStore>();

    [OneTimeSetUp] public async Task Start() => _host = await WebIntakeApp.StartAsync();
    [OneTimeTearDown] public async Task Stop() => await _host.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(object body)
    {
        using var response = await _host.Http.PostAsJsonAsync("/api/intake/requests", body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    private async Task<long> CountAsync() => (await Store.SearchAsync(new TicketQuery())).Total;

    [Test]
    public async Task A_typed_request_becomes_a_web_draft_with_the_proposal_and_a_query_code()
    {
        const string text = "我家小区门口的路灯坏了一个多月了，晚上很黑，老人出门很不方便，请尽快修理";
        var (status, body) = await PostAsync(new
        {
            callerName = "李华", phone = "138-1234-5678", title = "小区门口路灯不亮", description = text, location = "幸福路8号",
        });

        Assert.That(status, Is.EqualTo(HttpStatusCode.Created), body.ToJsonString());
        var ticket = await Store.GetByCodeAsync((string)body["queryCode"]!);
        Assert.That(ticket, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(ticket!.Channel, Is.EqualTo(Channel.Web));
            Assert.That(ticket.Status, Is.EqualTo(TicketStatus.Draft));
            Assert.That(ticket.Caller.Phone, Is.EqualTo("13812345678"), "separators dropped");
            Assert.That(ticket.Caller.Name, Is.EqualTo("李华"));
            Assert.That(ticket.Caller.Anonymous, Is.False);
            Assert.That(ticket.Title, Is.EqualTo("小区门口路灯不亮"));
            Assert.That(ticket.Description, Is.EqualTo(text));
            Assert.That(ticket.Location, Is.EqualTo("幸福路8号"));
            Assert.That(ticket.Category, Is.Not.Null, "the trained model proposes a category");
            Assert.That(ticket.Department, Is.Not.Empty);
            Assert.That((string?)body["category"], Is.EqualTo(ticket.Category?.ToString()));
            Assert.That((bool)body["emergency"]!, Is.False);
            Assert.That((string?)body["advice"], Is.Null);
            Assert.That((string)body["progressUrl"]!, Is.EqualTo("/progress"));
        });
    }

    [Test]
    public async Task The_web_draft_carries_the_same_proposal_as_a_call_saying_the_same_words()
    {
        const string text = "楼上邻居每天晚上十二点以后还在装修施工，噪音太大，孩子没法睡觉";
        var (_, body) = await PostAsync(new { phone = "13900001111", description = text });
        var web = await Store.GetByCodeAsync((string)body["queryCode"]!);

        // The phone path: the IVR's classify node and createDraft node over the same adapters.
        var classification = await _host.App.Services.GetRequiredService<IntakeClassifier>().ClassifyAsync(text, CancellationToken.None);
        var call = await _host.App.Services.GetRequiredService<TicketWorkOrders>().CreateDraftAsync(
            new DraftRequest("call-1@test", "13900001111", "12345", "/rec/call-1.wav", text, classification, DateTimeOffset.UtcNow), CancellationToken.None);
        var phone = await Store.GetByCodeAsync(call.QueryCode);

        Assert.That(web!.Channel, Is.EqualTo(Channel.Web));
        Assert.That(phone!.Channel, Is.EqualTo(Channel.Phone));
        Assert.That(web.Category, Is.EqualTo(phone.Category));
        Assert.That(web.Department, Is.EqualTo(phone.Department));
        Assert.That(web.Urgency, Is.EqualTo(phone.Urgency));
        Assert.That(web.Type, Is.EqualTo(phone.Type));
    }

    [TestCase("快来人，我们楼下着火了，浓烟很大", "119")]
    [TestCase("有人在小区门口持刀抢劫", "110")]
    public async Task An_emergency_is_told_which_number_to_call_and_the_request_is_still_kept(string text, string number)
    {
        var (status, body) = await PostAsync(new { phone = "13700002222", description = text });

        Assert.That(status, Is.EqualTo(HttpStatusCode.Created), body.ToJsonString());
        Assert.That((bool)body["emergency"]!, Is.True);
        Assert.That((string?)body["emergencyService"], Is.EqualTo(number));
        Assert.That((string?)body["advice"], Does.Contain("立即拨打" + number));
        var ticket = await Store.GetByCodeAsync((string)body["queryCode"]!);
        Assert.That(ticket, Is.Not.Null, "the request is kept");
        Assert.That(ticket!.Urgency, Is.EqualTo(Urgency.Urgent));
    }

    [Test]
    public async Task An_anonymous_request_keeps_no_name_and_a_confidential_one_is_marked()
    {
        var (_, body) = await PostAsync(new { callerName = "张三", anonymous = true, confidential = true, phone = "010-12345678", description = "举报某餐馆后厨卫生条件很差，经常有老鼠" });
        var ticket = await Store.GetByCodeAsync((string)body["queryCode"]!);

        Assert.That(ticket!.Caller.Name, Is.Null);
        Assert.That(ticket.Caller.Anonymous, Is.True);
        Assert.That(ticket.Caller.Confidential, Is.True);
        Assert.That(ticket.Caller.Phone, Is.EqualTo("01012345678"));
    }

    [Test]
    public async Task Progress_by_code_answers_for_a_web_request_on_the_page_and_on_the_phone()
    {
        var (_, body) = await PostAsync(new { phone = "13655556789", description = "咨询一下社保卡丢了怎么补办，需要带什么材料" });
        var code = (string)body["queryCode"]!;

        var page = await _host.Http.GetFromJsonAsync<JsonObject>($"/api/progress?code={code}&phone4=6789");
        var phone = await _host.App.Services.GetRequiredService<TicketWorkOrders>().GetProgressAsync(code, "13000000000", CancellationToken.None);

        Assert.That((string)page!["statusName"]!, Is.EqualTo("草稿"));
        Assert.That(phone, Is.Not.Null, "a citizen who wrote in may call 12345 and key the code in");
    }

    [TestCase("{\"phone\": \"13812345678\"}", "description is required")]
    [TestCase("{\"phone\": \"13812345678\", \"description\": \"   \"}", "description is required")]
    [TestCase("{\"phone\": \"13812345678\", \"description\": \"灯\"}", "at least 5 characters")]
    [TestCase("{\"description\": \"小区门口的路灯坏了\"}", "phone is required")]
    [TestCase("{\"phone\": \"1381234abcd\", \"description\": \"小区门口的路灯坏了\"}", "digits only")]
    [TestCase("{\"phone\": \"12345\", \"description\": \"小区门口的路灯坏了\"}", "11-digit mobile")]
    [TestCase("{\"phone\": \"+1 415 555 0100\", \"description\": \"小区门口的路灯坏了\"}", "+86")]
    [TestCase("{\"phone\": \"13812345678\", \"description\": \"小区门口的路灯坏了\", \"location\": \"LONG\"}", "location is longer")]
    [TestCase("{\"phone\": \"13812345678\", \"description\": \"小区门口的路灯坏了\", \"title\": \"LONG\"}", "title is longer")]
    [TestCase("{\"phone\": \"13812345678\", \"description\": ", "not valid JSON")]
    [TestCase("[1, 2]", "not valid JSON")]
    public async Task Bad_input_gets_400_with_the_reason_and_creates_nothing(string body, string reason)
    {
        var before = await CountAsync();
        using var response = await _host.Http.PostAsync("/api/intake/requests",
            new StringContent(body.Replace("LONG", new string('长', 300)), Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!.GetValue<string>(), Does.Contain(reason));
        Assert.That(await CountAsync(), Is.EqualTo(before), "nothing stored");
    }

    [Test]
    public async Task The_form_page_and_its_script_are_served_and_load_nothing_from_other_hosts()
    {
        var html = await _host.Http.GetStringAsync("/report");
        var js = await _host.Http.GetStringAsync("/report.js");

        Assert.That(html, Does.Contain("<form id=\"report\"").And.Contain("src=\"/report.js\""));
        Assert.That(js, Does.Contain("/api/intake/requests"));
        Assert.That(html + js, Does.Not.Match("(src|href)=\"(https?:)?//"), "offline: no CDN");
    }

    [Test]
    public async Task The_endpoint_is_in_the_openapi_document()
    {
        Assert.That(await _host.Http.GetStringAsync("/openapi/v1.json"), Does.Contain("/api/intake/requests"));
    }
}
