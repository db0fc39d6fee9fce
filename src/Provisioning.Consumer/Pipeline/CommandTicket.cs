using Provisioning.Operations;
using Provisioning.Rules;

namespace Provisioning.Consumer.Pipeline;

/// <summary>A command that passed the screen: what it is, its key and its enterprise. A payload for the steps after the screen.</summary>
internal sealed record CommandTicket(CommandDescriptor Descriptor, CommandKey Key, string CorpId);
