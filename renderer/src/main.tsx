import '@mantine/core/styles.css'
import '@mantine/dropzone/styles.css'
import '@mantine/notifications/styles.css'
import { createTheme, MantineProvider } from '@mantine/core'
import { Notifications } from '@mantine/notifications'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { ApiContext, connectApi } from './api/client'
import { App } from './App'
import { StartupFailure } from './screens/StartupFailure'

const theme = createTheme({
  primaryColor: 'teal',
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
})

const root = createRoot(document.getElementById('root')!)

function render(content: React.ReactNode): void {
  root.render(
    <StrictMode>
      {/* "auto" follows the operating system's light or dark setting. */}
      <MantineProvider theme={theme} defaultColorScheme="auto">
        <Notifications position="top-right" />
        {content}
      </MantineProvider>
    </StrictMode>,
  )
}

connectApi().then(
  (api) =>
    render(
      <ApiContext.Provider value={api}>
        <App />
      </ApiContext.Provider>,
    ),
  (error: unknown) => render(<StartupFailure message={error instanceof Error ? error.message : String(error)} />),
)
