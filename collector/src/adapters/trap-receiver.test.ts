import type { RemoteInfo } from 'node:dgram';
import snmp from 'net-snmp';
import { describe, expect, it } from 'vitest';
import {
  answersDiscovery,
  authFailureReason,
  classifyReceiverError,
  reportedRefusal,
  toNotification,
} from './trap-receiver.js';

const rinfo: RemoteInfo = { address: '127.0.0.9', family: 'IPv4', port: 40128, size: 100 };

/** A datagram shaped like a report around the given varbind OID. */
const wrap = (hex: string) => Buffer.from(`3081a0020103${hex}0500`, 'hex');

function error(name: string, fields: Partial<snmp.SnmpError> = {}): snmp.SnmpError {
  return Object.assign(new Error('x'), { name, ...fields });
}

describe('classifyReceiverError', () => {
  it.each([
    [error('RequestFailedError', { rinfo }), 'unauthorized'],
    [error('ResponseInvalidError', { rinfo, code: 5 }), 'unauthorized'],
    [error('ResponseInvalidError', { rinfo, code: 4 }), 'unauthorized'],
    [error('ResponseInvalidError', { rinfo, code: 3 }), 'malformed'],
    [error('ProcessingError', { rinfo }), 'malformed'],
    [error('RequestInvalidError', { rinfo }), 'malformed'],
    [error('Error'), 'socket'],
  ])('%s is %s', (e, expected) => {
    expect(classifyReceiverError(e)).toBe(expected);
  });
});

describe('authFailureReason', () => {
  const failed = (message: string) =>
    Object.assign(new Error(message), { name: 'RequestFailedError', rinfo });
  it.each([
    [failed('Local community not found for message with community s3cret'), 'unknown community'],
    [failed('Local user not found for message with user eve'), 'unknown user'],
    [
      failed('Local user bob requires privacy but message does not provide it'),
      'security level too low',
    ],
    [error('ResponseInvalidError', { rinfo, code: 5 }), 'wrong authentication key'],
    [error('ResponseInvalidError', { rinfo, code: 4 }), 'cannot decrypt (wrong privacy key)'],
    [error('ResponseInvalidError', { rinfo, code: 14 }), 'outside time window'],
  ])('%s → %s', (e, expected) => {
    expect(authFailureReason(e)).toBe(expected);
  });
});

describe('reportedRefusal', () => {
  it.each([
    [wrap('060a2b060106030f01010300'), 'unknown user'],
    [wrap('060a2b060106030f01010500'), 'security level too low'],
    // usmStatsUnknownEngineIDs: the answer to engine discovery, not a refusal.
    [wrap('060a2b060106030f01010400'), undefined],
    [Buffer.from('not a report'), undefined],
  ])('%#: %s', (datagram, expected) => {
    expect(reportedRefusal(datagram)).toBe(expected);
  });
});

describe('answersDiscovery', () => {
  it.each([
    [wrap('060a2b060106030f01010400'), true],
    [wrap('060a2b060106030f01010300'), false],
    [Buffer.from('not a report'), false],
  ])('%#: %s', (datagram, expected) => {
    expect(answersDiscovery(datagram)).toBe(expected);
  });
});

describe('toNotification', () => {
  const varbinds = [{ oid: '1.3.6.1.6.3.1.1.4.1.0', type: 6, value: '1.3.6.1.6.3.1.1.5.3' }];

  it.each([
    [snmp.PduType.TrapV2, { version: '2c', pdu: 'trap', requestId: 7, community: 'public' }],
    [snmp.PduType.InformRequest, { version: '2c', pdu: 'inform', requestId: 7 }],
  ])('reads a v2 PDU of type %i', (type, expected) => {
    const notification = toNotification(
      { pdu: { type, id: 7, varbinds, community: 'public' }, rinfo },
      'id-1',
      99,
    );
    expect(notification).toMatchObject({
      id: 'id-1',
      receivedAtMs: 99,
      sourceAddress: '127.0.0.9',
      sourcePort: 40128,
      varbinds,
      ...expected,
    });
  });

  it('reads a v3 notification by its user', () => {
    const notification = toNotification(
      { pdu: { type: snmp.PduType.TrapV2, id: 1, varbinds, user: 'nms' }, rinfo },
      'id',
      1,
    );
    expect(notification).toMatchObject({ version: '3', user: 'nms' });
  });

  it('reads a v1 Trap-PDU header', () => {
    const notification = toNotification(
      {
        pdu: {
          type: snmp.PduType.Trap,
          enterprise: '1.3.6.1.4.1.8072',
          agentAddr: '127.0.0.7',
          generic: 2,
          specific: 0,
          upTime: 75868,
          varbinds: [],
          community: 'public',
        },
        rinfo,
      },
      'id',
      1,
    );
    expect(notification).toMatchObject({
      version: '1',
      pdu: 'trap',
      v1: {
        enterprise: '1.3.6.1.4.1.8072',
        agentAddr: '127.0.0.7',
        generic: 2,
        specific: 0,
        timeTicks: 75868,
      },
    });
    expect(notification).not.toHaveProperty('requestId');
  });

  it('rejects other PDUs', () => {
    expect(toNotification({ pdu: { type: 162, varbinds: [] }, rinfo }, 'id', 1)).toBeUndefined();
  });
});
