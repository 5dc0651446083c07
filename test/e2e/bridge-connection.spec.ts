/**
 * The background service of the browser version stops (the person closed the terminal running `npm
 * run web`) in the middle of an upload: the page says so at once and nothing on it looks live; when
 * the service runs again the page connects by itself and shows the upload as it was left. This test
 * runs a web bridge of its own, so stopping it disturbs no other test.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { E2E_RUN_DIR, E2E_TOKEN } from '../../playwright.config'
import { dropFile, expect, expectNoAccessibilityViolations, test } from './fixtures'
import { freePort, startBridge, stop } from './own-bridge'

const CUSTOMERS = ['Email,Uses app', 'kai@example.com,0', 'lea@example.com,1', 'max@example.com,1'].join('\n')

test('when the background service stops, the page says so at once and connects again by itself when it is back', async ({
  page,
}) => {
  test.setTimeout(120_000)
  const dataDir = join(E2E_RUN_DIR, `own-bridge-${Date.now()}`)
  mkdirSync(dataDir, { recursive: true })
  const port = await freePort()
  let bridge = await startBridge(dataDir, port)
  try {
    await page.goto(`http://127.0.0.1:${port}/#token=${E2E_TOKEN}`)
    await page.getByRole('button', { name: 'Use the practice account' }).click()
    await page.getByRole('button', { name: 'Continue to Import' }).click()
    await dropFile(page, '.mantine-Dropzone-root', { name: 'stops.csv', mimeType: 'text/csv', content: CUSTOMERS })
    await page.getByRole('button', { name: 'Continue: choose the columns' }).click()
    await page.getByRole('button', { name: 'Continue: review the groups' }).click()
    await page.getByRole('button', { name: 'Continue: upload the groups' }).click()
    for (const group of [0, 1])
      await page.getByTestId(`group-choice-${group}`).getByRole('radio', { name: 'A new list' }).check()
    await page.getByRole('textbox', { name: /Name of the new list for “Uses app: no”/ }).fill(`Stops 0 ${Date.now()}`)
    await page.getByRole('textbox', { name: /Name of the new list for “Uses app: yes”/ }).fill(`Stops 1 ${Date.now()}`)
    await page.getByRole('button', { name: 'Check the plan' }).click()
    await page.getByRole('button', { name: 'Start the upload' }).click()
    await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible()

    await stop(bridge)
    const lost = page.getByTestId('connection-lost')
    await expect(lost).toBeVisible({ timeout: 2_000 })
    await expect(lost).toContainText('Splitsend’s background service has stopped.')
    // The progress that was on screen can't be used and doesn't pass for live.
    await expect(page.getByRole('button', { name: 'Pause' })).not.toBeVisible()
    await expectNoAccessibilityViolations(page)

    bridge = await startBridge(dataDir, port)
    await expect(lost).toHaveCount(0, { timeout: 10_000 })
    // Read again: the run stopped with the service, and goes on where it stopped.
    await expect(page.getByText('An upload of this file', { exact: false })).toBeVisible()
    await page.getByRole('button', { name: 'Resume the upload' }).click()
    await expect(page.getByTestId('upload-outcome')).toHaveAttribute('data-outcome', 'all_added', { timeout: 60_000 })
  } finally {
    await stop(bridge)
  }
})
