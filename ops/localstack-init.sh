#!/bin/sh
# LocalStack runs this once it is ready (mounted into /etc/localstack/init/ready.d): the queue the
# engine's outbox relay publishes to (OUTBOX_SQS_QUEUE_URL in docker-compose.yml).
set -e
awslocal sqs create-queue --queue-name okj-outbox
