using System.Text.Json.Serialization;

namespace SendPlans.Bot.Views;

[JsonSerializable(typeof(SortedDictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class ViewsJsonContext : JsonSerializerContext;
