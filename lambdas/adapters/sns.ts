import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { AlertMessage } from '../publish/messages';

/**
 * Publishes one alert to the topic with per-protocol bodies (`MessageStructure: json`), so email
 * subscribers get the full text and SMS subscribers one short segment. Returns the SNS message id.
 */
export async function publishAlert(client: SNSClient, topicArn: string, message: AlertMessage): Promise<string | undefined> {
  const out = await client.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: message.subject,
      MessageStructure: 'json',
      Message: JSON.stringify({ default: message.email, email: message.email, sms: message.sms }),
    }),
  );
  return out.MessageId;
}
