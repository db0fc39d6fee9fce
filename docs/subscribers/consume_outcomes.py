#!/usr/bin/env python3
"""Receives the provisioning service's outcome events with pika, outside .NET.

The service publishes each outcome (MemberCreated, MemberCreationFailed, MemberUpdated, ...) to a fanout exchange
named after its type, "Provisioning.Contracts:<Type>", bound to the exchanges of its base types
"Provisioning.Contracts:MemberCommandSucceeded" and "Provisioning.Contracts:MemberCommandFailed". Binding a queue of
your own to those two receives every outcome of every command type. The body is MassTransit's JSON envelope:

    {"messageId": "...", "conversationId": "...", "sentTime": "2026-11-30T08:00:00.1234567Z",
     "messageType": ["urn:message:Provisioning.Contracts:MemberCreated",
                     "urn:message:Provisioning.Contracts:MemberCommandSucceeded"],
     "message": {"requestId": "...", "corpId": "ww...", "userId": "zhangsan", "attempts": 1, ...},
     "headers": {}, "host": {...}}

The event itself is "message"; its type is the first "messageType" (after "urn:message:Provisioning.Contracts:").

Usage: consume_outcomes.py AMQP_URI QUEUE [COUNT]   (prints one JSON line per outcome; stops after COUNT if given)
Needs pika (Debian: apt-get install python3-pika; else pip install pika).
"""
import json
import sys

import pika

EXCHANGES = ["Provisioning.Contracts:MemberCommandSucceeded", "Provisioning.Contracts:MemberCommandFailed"]


def main():
    uri, queue = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else None
    connection = pika.BlockingConnection(pika.URLParameters(uri))
    channel = connection.channel()
    # Durable, so that outcomes published while this subscriber is down wait for it.
    channel.queue_declare(queue=queue, durable=True)
    for exchange in EXCHANGES:
        # The same arguments MassTransit declares them with: declaring is idempotent.
        channel.exchange_declare(exchange=exchange, exchange_type="fanout", durable=True)
        channel.queue_bind(queue=queue, exchange=exchange)
    print(json.dumps({"event": "ready", "queue": queue}), flush=True)

    received = 0
    for method, properties, body in channel.consume(queue):
        envelope = json.loads(body)
        event = envelope["message"]
        outcome = envelope["messageType"][0].rsplit(":", 1)[-1]
        # Replayed duplicates carry the header Provisioning-Replay: the same outcome again, not a second change.
        replay = bool((envelope.get("headers") or {}).get("Provisioning-Replay"))
        print(json.dumps({"outcome": outcome, "requestId": event["requestId"], "userId": event["userId"],
                          "reason": event.get("reason"), "errCode": event.get("errCode"), "replay": replay},
                         ensure_ascii=False), flush=True)
        channel.basic_ack(method.delivery_tag)
        received += 1
        if count is not None and received >= count:
            break
    channel.cancel()
    connection.close()


if __name__ == "__main__":
    main()
