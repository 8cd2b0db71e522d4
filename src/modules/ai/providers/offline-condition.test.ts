import { describe, expect, test } from 'bun:test'
import { composeOfflineAnswer } from './offline-answer'
import { ask } from './offline-answer-testing'

describe('a question whose condition matches one sentence and its answer the next', () => {
  test('the next sentence of the section is weighed with the condition carried over', () => {
    const race = {
      index: 1,
      source: '은빛강마라톤_안내.md',
      content:
        '# 은빛강마라톤 참가 안내\n\n## 배번 수령\n\n- 배번과 기록 칩은 대회 10일 전까지 택배로 보내 드립니다.\n' +
        '- 4월 10일까지 받지 못하면 대회 전날 4월 17일에 안내 부스에서 받을 수 있습니다.\n\n## 환불\n\n- 3월 16일 이후에는 환불하지 않습니다.',
    }
    expect(composeOfflineAnswer(ask('은빛강마라톤 배번이 택배로 안 왔으면 언제 받으러 가요?'), { passages: [race] })).toContain('4월 17일')
  })
})
