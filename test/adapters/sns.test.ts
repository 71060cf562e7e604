import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { publishAlert } from '../../lambdas/adapters/sns';

const sns = mockClient(SNSClient);
beforeEach(() => sns.reset());

describe('publishAlert', () => {
  it('publishes one message with a full email body and a short SMS body', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'abc' });
    const id = await publishAlert(new SNSClient({ region: 'ca-central-1' }), 'arn:aws:sns:ca-central-1:111122223333:t', { subject: 'S', email: 'long text', sms: 'short' });
    expect(id).toBe('abc');
    expect(sns.commandCalls(PublishCommand)[0].args[0].input).toEqual({
      TopicArn: 'arn:aws:sns:ca-central-1:111122223333:t',
      Subject: 'S',
      MessageStructure: 'json',
      Message: JSON.stringify({ default: 'long text', email: 'long text', sms: 'short' }),
    });
  });

  it('lets the SDK error through so the run can report it and retry next time', async () => {
    sns.on(PublishCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AuthorizationError' }));
    await expect(publishAlert(new SNSClient({ region: 'ca-central-1' }), 't', { subject: 'S', email: 'e', sms: 's' })).rejects.toMatchObject({ name: 'AuthorizationError' });
  });
});
